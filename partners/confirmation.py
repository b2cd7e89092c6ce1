"""The yearly confirmation round: every listed organisation is asked to confirm its entry.

Run daily (`manage.py confirmation_round`, which queues it as a background task). Each run, for this
year's round:
1. asks, with a link, each organisation whose entry was last confirmed more than the rulebook's
   verification period less DIRECTORY_ASK_BEFORE_DAYS ago and that has not been asked since;
2. reminds, with a fresh link, those asked at least DIRECTORY_REMINDER_DAYS ago that have not answered
   (at most DIRECTORY_REMINDERS times);
3. takes out of search the entries unconfirmed for the period plus DIRECTORY_GRACE_DAYS (the public
   page says "not confirmed since" from the end of the period; partners.selectors.is_stale);
then brings the round's counts up to date and sends the editors a summary. Running it twice in a day
sends nothing twice.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django_tasks import task

from config.public_cache import invalidate_public_pages
from config.rulebooks import current as current_rulebook
from partners.confirmation_models import ConfirmationRound, LinkPurpose
from partners.links import send_entry_link
from partners.models import PartnerOrganisation
from partners.services import _after_commit
from partners.tasks import tell_directory_editors
from records.services import record


@dataclass
class RoundRun:
    round: ConfirmationRound
    asked: int = 0
    reminded: int = 0
    hidden: list = field(default_factory=list)
    without_email: int = 0

    def __str__(self):
        r = self.round
        return (
            f"This run: {self.asked} asked, {self.reminded} reminded, {len(self.hidden)} taken out of search, "
            f"{self.without_email} due but without an email address (ring them). Round {r.year} so far: "
            f"{r.asked} asked, {r.confirmed} confirmed, {r.reminded} reminders, {r.hidden} out of search."
        )


def _days(today, n):
    return today - timedelta(days=n)


def _unconfirmed_since(cutoff):
    return Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)


def _ask_and_remind(run, today):
    period = current_rulebook().directory.verification_period_days
    # Links sent within the year and since the entry was last confirmed: the asking and reminding of this lapse.
    this_lapse = Q(links__created_at__date__gte=_days(today, period)) & (
        Q(last_verified_on__isnull=True) | Q(links__created_at__date__gt=F("last_verified_on"))
    )
    due = (
        PartnerOrganisation.objects.filter(listed=True, hidden_from_search_on__isnull=True)
        .filter(_unconfirmed_since(_days(today, period - settings.DIRECTORY_ASK_BEFORE_DAYS)))
        .annotate(sent=Count("links", filter=this_lapse), last_sent=Max("links__created_at", filter=this_lapse))
    )
    remind_before = timezone.now() - timedelta(days=settings.DIRECTORY_REMINDER_DAYS)
    for partner in due:
        if not partner.email:
            run.without_email += 1
        elif partner.sent == 0:
            send_entry_link(partner, purpose=LinkPurpose.ASKED, round=run.round)
            run.asked += 1
        elif partner.sent <= settings.DIRECTORY_REMINDERS and partner.last_sent <= remind_before:
            send_entry_link(partner, purpose=LinkPurpose.REMINDER, round=run.round)
            run.reminded += 1


def _hide_lapsed(run, today):
    period = current_rulebook().directory.verification_period_days
    lapsed = PartnerOrganisation.objects.filter(listed=True, hidden_from_search_on__isnull=True).filter(
        _unconfirmed_since(_days(today, period + settings.DIRECTORY_GRACE_DAYS))
    )
    run.hidden = list(lapsed.values_list("pk", flat=True))
    lapsed.update(hidden_from_search_on=today)
    if run.hidden:  # an update sends no signal: the cached searches that listed them must go
        transaction.on_commit(invalidate_public_pages)


def _count(run):
    r = run.round
    r.asked += run.asked
    r.reminded += run.reminded
    r.hidden += len(run.hidden)
    r.confirmed = (
        PartnerOrganisation.objects.filter(links__round=r, last_verified_on__gte=r.started_at.date()).distinct().count()
    )
    r.last_run_at = timezone.now()
    r.save()


@transaction.atomic(durable=True)
def run_confirmation_round(today=None):
    """One run of this year's round (see the module's docstring). Locks the round's row, so two runs at
    once take turns and the second finds nothing left to send."""
    today = today or timezone.localdate()
    ConfirmationRound.objects.get_or_create(year=today.year)
    run = RoundRun(round=ConfirmationRound.objects.select_for_update().get(year=today.year))
    _ask_and_remind(run, today)
    _hide_lapsed(run, today)
    _count(run)
    if run.asked or run.reminded or run.hidden:
        record(
            "directory.confirmation_round",
            f"Confirmation round {today.year}: {run.asked} asked, {run.reminded} reminded, "
            f"{len(run.hidden)} entries unconfirmed past the grace period taken out of search",
            payload={"hidden": run.hidden},
        )
        _after_commit(
            tell_directory_editors,
            f"Directory: confirmation round {today.year}",
            f"{run}\n\nSee the entries in the back office: {settings.SITE_URL}/admin/directory/organisations/",
        )
    return run


@task()
def confirmation_round_task():
    """The round, in the background."""
    run_confirmation_round()
