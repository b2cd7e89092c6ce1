"""The yearly membership fee: who owes it, reminding them by email or by letter, and ending a
membership for non-payment.

Under a rulebook with a yearly fee, the fee falls due on admission and again a year after each
payment of it (a fee taken by hand, or a subscription's yearly charge). It is overdue once the
rulebook's grace days have passed. A member paying by a live Stripe subscription is never
overdue here: Stripe charges them, and a failed charge shows as the subscription's status."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from config import rulebooks
from config.dates import add_years
from membership.models import CeaseReason, Membership
from membership.selectors import memberships_as_at
from membership.services import cease_membership
from payments.errors import PaymentError
from payments.models import FINAL_STATUSES, FeeReminder, Payment, PaymentKind, ReminderChannel, Subscription
from payments.tasks import email_fee_reminder
from records.services import record


def yearly_fee_in_force():
    rules = rulebooks.current().payments
    return rules.fee_period == "yearly" and rules.fee_pence > 0


@dataclass(frozen=True)
class FeeStanding:
    membership: Membership
    last_paid_on: datetime.date | None
    due_on: datetime.date
    last_reminded_on: datetime.date | None

    @property
    def member(self):
        return self.membership.member

    @property
    def takes_post(self):
        return self.member.takes_post


def _standings(on):
    """Memberships in force on `on`, annotated with the member's last fee payment, first
    admission, last reminder and whether they pay by a live subscription."""
    fees = Payment.objects.filter(
        member=OuterRef("member"), kind__in=(PaymentKind.FEE, PaymentKind.SUBSCRIPTION), received_on__lte=on
    )
    first_admission = Membership.objects.filter(member=OuterRef("member")).order_by("admitted_on")
    reminders = FeeReminder.objects.filter(member=OuterRef("member")).order_by("-sent_on")
    return (
        memberships_as_at(on)
        .annotate(
            last_paid_on=Subquery(fees.order_by("-received_on").values("received_on")[:1]),
            first_admitted_on=Subquery(first_admission.values("admitted_on")[:1]),
            last_reminded_on=Subquery(reminders.values("sent_on")[:1]),
            subscribed=Exists(
                Subscription.objects.filter(member=OuterRef("member")).exclude(status__in=FINAL_STATUSES)
            ),
        )
        .select_related("member", "constituency")
    )


def _standing(membership):
    due_on = add_years(membership.last_paid_on, 1) if membership.last_paid_on else membership.first_admitted_on
    return FeeStanding(membership, membership.last_paid_on, due_on, membership.last_reminded_on)


def _owing(on):
    """Memberships in force on `on` whose yearly fee is overdue then: the rule, stated once."""
    cutoff = on - datetime.timedelta(days=rulebooks.current().payments.fee_grace_days)
    return (
        _standings(on)
        .filter(subscribed=False)
        .filter(Q(last_paid_on__isnull=True, first_admitted_on__lt=cutoff) | Q(last_paid_on__lt=add_years(cutoff, -1)))
    )


def overdue(on=None):
    """Everyone whose yearly fee is overdue on `on` (today), longest overdue first; nobody when
    the rulebook has no yearly fee."""
    if not yearly_fee_in_force():
        return []
    owing = _owing(on or timezone.localdate())
    return sorted((_standing(m) for m in owing), key=lambda s: (s.due_on, s.member.membership_number))


def overdue_standing(member, on=None):
    """The member's standing if their yearly fee is overdue on `on` (today), else None."""
    if not yearly_fee_in_force():
        return None
    membership = _owing(on or timezone.localdate()).filter(member=member).first()
    return membership and _standing(membership)


def standing_of(member, on=None):
    """The member's fee standing on `on` (today), or None if they are not a member then."""
    on = on or timezone.localdate()
    membership = _standings(on).filter(member=member).first()
    return membership and _standing(membership)


def _due_a_reminder(standings, on):
    interval = datetime.timedelta(days=rulebooks.current().payments.fee_reminder_interval_days)
    return [s for s in standings if s.last_reminded_on is None or s.last_reminded_on <= on - interval]


@transaction.atomic(durable=True)
def remind(channel, *, on=None, actor):
    """Remind every overdue member who takes `channel` (email, or post for those who asked for
    letters or have no email) and has not been reminded within the rulebook's interval. Emails
    go through the task queue after commit; letters are returned for the mail-merge. One
    record entry names how many."""
    on = on or timezone.localdate()
    channel = ReminderChannel(channel)
    wanted = [s for s in overdue(on) if s.takes_post == (channel == ReminderChannel.POST)]
    standings = _due_a_reminder(wanted, on)
    reminders = FeeReminder.objects.bulk_create(
        FeeReminder(member=s.member, sent_on=on, channel=channel, due_on=s.due_on, sent_by=actor) for s in standings
    )
    if channel == ReminderChannel.EMAIL:
        pks = [reminder.pk for reminder in reminders]
        transaction.on_commit(lambda: [email_fee_reminder.enqueue(pk) for pk in pks])
    if standings:
        record(
            "fee.reminded",
            f"{len(standings)} member(s) reminded by {channel.label.lower()} that their yearly fee is overdue",
            actor=actor,
            payload={"channel": channel, "members": [s.member.membership_number for s in standings]},
        )
    return standings


def letter_rows(standings):
    """The mail-merge rows for reminder letters."""
    fee = rulebooks.current().payments.fee_pence
    return [
        {
            **s.member.letter_address(),
            "fee_due_on": s.due_on.isoformat(),
            "fee_pence": fee,
            "organisation": settings.ORGANISATION_NAME,
        }
        for s in standings
    ]


@transaction.atomic(durable=True)
def end_for_non_payment(member, *, on=None, actor):
    """End the membership of a member whose yearly fee is overdue (the officer's decision, with
    its record entry through `cease_membership`)."""
    on = on or timezone.localdate()
    if overdue_standing(member, on) is None:
        raise PaymentError(
            f"Member {member.membership_number}'s yearly fee is not overdue, so their membership cannot be ended "
            "for non-payment."
        )
    return cease_membership(member, CeaseReason.FEE_UNPAID, ceased_on=on, actor=actor)
