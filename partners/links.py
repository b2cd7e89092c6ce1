"""An organisation reviews and updates its own entry through a link emailed to its contact address.

The link's token is the EntryLink row's id signed with Django's signing (salted for this use alone), so
it cannot be guessed or altered; the row says when it expires, and its EntryReview (one per link, a
unique key) says it has been used. What the organisation changes is published at once or waits for an
editor, as settings.DIRECTORY_ORGANISATION_CHANGES says; either way the record says what happened.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from partners.confirmation_models import ReviewOutcome
from partners.models import (
    ConfirmedBy,
    EntryLink,
    EntryReview,
    PartnerOrganisation,
    Proposal,
    ProposalStatus,
)
from partners.services import ENTRY_FIELDS, _after_commit, _decide, apply_proposal, confirm
from partners.tasks import send_reply, tell_directory_editors
from records.services import record

SALT = "partners.entry-link"
PUBLISH = "publish"
# A new link is not sent again to the same entry within this time, however often it is asked for.
RESEND_AFTER = timedelta(minutes=10)


class LinkRefused(Exception):
    """The link cannot be used: `reason` is "unknown", "used" or "expired"; `link` when it is ours."""

    def __init__(self, reason, link=None):
        self.reason, self.link = reason, link
        super().__init__(reason)


def token_for(link):
    return signing.dumps(link.pk, salt=SALT)


def url_for(link):
    return f"{settings.SITE_URL}{reverse('partners:review', args=[token_for(link)])}"


def _link_from(token):
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise LinkRefused("unknown") from error
    link = EntryLink.objects.select_related("partner").filter(pk=pk).first()
    if link is None:
        raise LinkRefused("unknown")
    return link


def open_link(token):
    """The link a token names, if it may still be used (opening it does not use it); else LinkRefused."""
    link = _link_from(token)
    if EntryReview.objects.filter(link=link).exists():
        raise LinkRefused("used", link)
    if link.expires_at <= timezone.now():
        raise LinkRefused("expired", link)
    return link


LETTER = """Dear {contact},

Health and care professionals use our partner directory to find organisations like yours. Please
check that your entry for {name} is right: open this link to confirm it, or to correct anything.
You do not need an account.

{url}

The link works once and until {expires:%d %B %Y}. If it has run out, open it anyway and ask for a new one.
"""


def send_entry_link(partner, *, purpose, round=None):
    """Email the entry's contact a new link (after the caller's transaction commits). Returns the link,
    or None when the entry has no contact email. Runs in the caller's transaction."""
    if not partner.email:
        return None
    link = EntryLink.objects.create(
        partner=partner,
        sent_to=partner.email,
        purpose=purpose,
        round=round,
        expires_at=timezone.now() + timedelta(days=settings.DIRECTORY_LINK_DAYS),
    )
    body = LETTER.format(
        contact=partner.contact_name or "colleague", name=partner.name, url=url_for(link), expires=link.expires_at
    )
    _after_commit(send_reply, partner.email, f"Is your entry in our partner directory right? ({partner.name})", body)
    return link


@transaction.atomic(durable=True)
def send_new_link(token):
    """Whoever holds an expired or used link may have a new one sent, to the entry's contact address as the
    directory has it now (not to them). Returns the new link, or None when one went out a moment ago."""
    old = _link_from(token)
    # Lock the entry so two clicks send one link.
    partner = PartnerOrganisation.objects.select_for_update().get(pk=old.partner_id)
    if partner.links.filter(created_at__gt=timezone.now() - RESEND_AFTER).exists():
        return None
    return send_entry_link(partner, purpose="requested")


def _use(token, outcome, proposal=None):
    """Spend the link (LinkRefused when it cannot be): its review row's unique key refuses a second use even
    from a request racing this one. Locks the link row."""
    link = open_link(token)
    # Lock the link so a second use waits for this one and then sees its review.
    link = EntryLink.objects.select_for_update().select_related("partner").get(pk=link.pk)
    try:
        with transaction.atomic():
            EntryReview.objects.create(link=link, outcome=outcome, proposal=proposal)
    except IntegrityError as error:
        raise LinkRefused("used", link) from error
    return link


@transaction.atomic(durable=True)
def confirm_entry(token):
    """The organisation says its entry is right as it stands."""
    link = _use(token, ReviewOutcome.CONFIRMED)
    partner = link.partner
    partner.save(update_fields=confirm(partner, ConfirmedBy.ORGANISATION))
    record(
        "directory.entry_confirmed",
        f"{partner} confirmed its entry through the link sent to {link.sent_to}",
        subject=partner,
    )
    return partner


@transaction.atomic(durable=True)
def update_entry(token, *, areas_of_interest, localities, **details):
    """The organisation corrects its entry: published at once, or waiting for an editor, as settings say.
    Returns (entry, published)."""
    link = open_link(token)
    partner = link.partner
    proposal = Proposal(
        partner=partner,
        proposer_name=details.pop("proposer_name", "") or partner.contact_name or partner.name,
        proposer_email=link.sent_to,
        **{field: details[field] for field in [*ENTRY_FIELDS, "cqc_provider_id"]},
    )
    proposal.full_clean(exclude=["areas_of_interest", "localities"])
    proposal.save()
    proposal.areas_of_interest.set(areas_of_interest)
    proposal.localities.set(localities)
    published = settings.DIRECTORY_ORGANISATION_CHANGES == PUBLISH
    link = _use(token, ReviewOutcome.PUBLISHED if published else ReviewOutcome.SENT_FOR_CHECK, proposal)
    if published:
        partner = apply_proposal(proposal, ConfirmedBy.ORGANISATION)
        _decide(proposal, ProposalStatus.ACCEPTED, actor=None, note="Published at once, as the site's setting says.")
    else:
        _after_commit(
            tell_directory_editors,
            f"Directory: {partner} corrected its entry",
            f"{partner} sent corrections to its entry through its link. Check them in the back office: "
            f"{settings.SITE_URL}/admin/directory/proposals/edit/{proposal.pk}/",
        )
    record(
        "directory.entry_updated_by_organisation",
        f"{partner} {'updated its entry (published at once)' if published else 'sent corrections to its entry'}"
        f" through the link sent to {link.sent_to}",
        subject=partner,
        payload={"proposal": proposal.pk, "published": published},
    )
    return partner, published
