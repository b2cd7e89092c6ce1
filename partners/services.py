"""Changes to the partner directory. Each is atomic and writes its record entry in the same
transaction; mail goes out through tasks only once the transaction has committed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from config.history import with_actor
from partners.charity_register import REGISTER_FIELDS
from partners.models import (
    ENTRY_DETAILS,
    ConfirmedBy,
    Enquiry,
    EnquiryStatus,
    PartnerOrganisation,
    Proposal,
    ProposalSource,
    ProposalStatus,
)
from partners.postcodes import place_partners
from partners.search import refresh_search_documents
from partners.tasks import send_reply, tell_directory_editors
from records.services import record

# The details copied field by field; the vocabularies (many-to-many) are set separately.
ENTRY_FIELDS = [name for name in ENTRY_DETAILS if name not in ("areas_of_interest", "localities")]


def _after_commit(task, *args):
    transaction.on_commit(lambda: task.enqueue(*args))


def unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:190] or "partner"
    slug, n = base, 1
    taken = PartnerOrganisation.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def entries_changed(partners=None):
    """After entries (a queryset or ids; all when None) or their tags changed: place them again and
    rebuild their search documents. Every service that writes entries calls this, in its transaction."""
    place_partners(partners)
    refresh_search_documents(partners)


@transaction.atomic
def vocabulary_changed(item):
    """An area of interest or locality was renamed (or its districts changed): the entries tagged with it
    are found by the new words."""
    entries_changed(item.partners.all())


def confirm(partner, by, *, actor=None, on=None):
    """Mark the entry confirmed as right on `on` (today) by `by` (a ConfirmedBy); an editor's confirmation
    names them. A confirmed entry is back in search. The caller saves."""
    partner.last_verified_on = on or timezone.localdate()
    partner.confirmed_by = by
    partner.verified_by = actor if by == ConfirmedBy.EDITOR else None
    partner.hidden_from_search_on = None
    return ["last_verified_on", "confirmed_by", "verified_by", "hidden_from_search_on"]


@transaction.atomic
def verify_partner(partner, *, actor, on=None):
    """A directory editor confirms the entry is still right (they checked with the organisation)."""
    fields = confirm(partner, ConfirmedBy.EDITOR, actor=actor, on=on)
    with_actor(partner, actor).save(update_fields=fields)
    record(
        "directory.partner_verified",
        f"{partner} checked and confirmed on {partner.last_verified_on:%d %B %Y}",
        actor=actor,
        subject=partner,
    )
    return partner


@transaction.atomic(durable=True)
def propose_entry(*, partner=None, areas_of_interest, localities, proposer_name, proposer_email, **details):
    """Someone from an organisation proposes its entry (or an update to `partner`). It waits for
    a directory editor; nothing public changes yet."""
    proposal = Proposal(partner=partner, proposer_name=proposer_name, proposer_email=proposer_email, **details)
    proposal.full_clean(exclude=["areas_of_interest", "localities"])
    proposal.save()
    proposal.areas_of_interest.set(areas_of_interest)
    proposal.localities.set(localities)
    what = f"an update to {partner}" if partner else f"a new entry for {proposal.name}"
    _after_commit(
        tell_directory_editors,
        f"Directory: {what} is waiting for you",
        f"{proposer_name} <{proposer_email}> proposed {what}.\n\n"
        f"Review it in the back office: {settings.SITE_URL}/admin/directory/proposals/edit/{proposal.pk}/",
    )
    return proposal


def _lock_pending(proposal):
    # Lock the proposal row so two editors cannot both decide it.
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(f"This proposal was already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def accept_proposal(proposal, *, actor, note=""):
    """Apply the proposal to the directory (a new entry, or the update) and count it as verified
    today: an editor has just checked it with the organisation. Locks the proposal row."""
    proposal = _lock_pending(proposal)
    partner = apply_proposal(proposal, ConfirmedBy.EDITOR, actor=actor)
    _decide(proposal, ProposalStatus.ACCEPTED, actor=actor, note=note, partner=partner)
    record(
        "directory.proposal_accepted",
        f"Accepted {proposal.proposer_name}'s proposal for {partner}",
        actor=actor,
        subject=partner,
        payload={"proposal": proposal.pk, "new_entry": proposal.partner_id is None},
    )
    _reply_to_proposer(
        proposal,
        f"Your directory entry for {partner} is published",
        f"Thank you. Your entry is now in the partner directory: {settings.SITE_URL}/partners/{partner.slug}/"
        + (f"\n\n{note}" if note else ""),
    )
    return partner


def apply_proposal(proposal, by, *, actor=None):
    """Write the proposal onto its entry (a new one when it proposes none), confirmed today by `by`: an
    editor who checked it, or the organisation itself. Returns the entry."""
    partner = proposal.partner or PartnerOrganisation(slug=unique_slug(proposal.name))
    for field in [*ENTRY_FIELDS, "cqc_provider_id"]:
        setattr(partner, field, getattr(proposal, field))
    if proposal.source == ProposalSource.CHARITY_REGISTER:
        partner.activities = proposal.activities
        partner.register_data = {name: proposal.register_data.get(name, "") for name in REGISTER_FIELDS}
    confirm(partner, by, actor=actor)
    partner.full_clean(exclude=["areas_of_interest", "localities"])
    with_actor(partner, actor).save()
    partner.areas_of_interest.set(proposal.areas_of_interest.all())
    partner.localities.set(proposal.localities.all())
    entries_changed([partner.pk])
    partner.refresh_from_db(fields=["latitude", "longitude"])
    return partner


@transaction.atomic
def reject_proposal(proposal, *, actor, note):
    """Turn the proposal down with a reason the proposer is sent. Locks the proposal row."""
    if not note.strip():
        raise ValidationError({"decision_note": "Say why, so the organisation can put it right."})
    proposal = _lock_pending(proposal)
    _decide(proposal, ProposalStatus.REJECTED, actor=actor, note=note)
    record(
        "directory.proposal_rejected",
        f"Rejected {proposal.proposer_name}'s proposal for {proposal.name}: {note}",
        actor=actor,
        subject=proposal,
    )
    _reply_to_proposer(
        proposal,
        f"Your directory proposal for {proposal.name}",
        f"Thank you for your proposal. We have not published it, because:\n\n{note}",
    )
    return proposal


def _reply_to_proposer(proposal, subject, body):
    # A proposal the register import made has no one to write to.
    if proposal.proposer_email:
        _after_commit(send_reply, proposal.proposer_email, subject, body)


def _decide(proposal, status, *, actor, note, partner=None):
    proposal.status, proposal.decision_note = status, note
    proposal.decided_at, proposal.decided_by = timezone.now(), actor
    if partner is not None:
        proposal.partner = partner
    with_actor(proposal, actor).save()


@transaction.atomic(durable=True)
def send_enquiry(*, name, email, question, organisation="", area_of_interest=None, locality=None, route=False):
    """A professional asks who works on an area of interest in a locality; it joins the editors' queue.
    With `route`, it also goes to the locality's infrastructure body (which answers the enquirer itself)."""
    body = locality.infrastructure_body if route and locality is not None else None
    if route and body is None:
        raise ValidationError({"route": "This locality has no infrastructure body to send your question to."})
    enquiry = Enquiry.objects.create(
        name=name,
        email=email,
        organisation=organisation,
        area_of_interest=area_of_interest,
        locality=locality,
        question=question,
        routed_to=body,
    )
    if body is not None:
        _route(enquiry, body)
    _after_commit(
        tell_directory_editors,
        "Directory: a new enquiry is waiting for an answer",
        f"{name} ({organisation or 'no organisation given'}) asks:\n\n{question}\n\n"
        f"Answer it in the back office: {settings.SITE_URL}/admin/directory/enquiries/",
    )
    return enquiry


def _route(enquiry, body):
    area = f" about {enquiry.area_of_interest}" if enquiry.area_of_interest else ""
    _after_commit(
        send_reply,
        body.email,
        f"A question{area} in {enquiry.locality}, passed on by the partner directory",
        f"{enquiry.name} ({enquiry.organisation or 'no organisation given'}, {enquiry.email}) asked the partner "
        f"directory{area} in {enquiry.locality}, and our directory found few organisations there. They asked us "
        f"to pass the question to you; please answer them at {enquiry.email}.\n\n{enquiry.question}",
    )
    record(
        "directory.enquiry_routed",
        f"An enquiry{area} in {enquiry.locality} was passed to {body}",
        subject=enquiry,
        payload={"infrastructure_body": body.pk},
    )


@transaction.atomic
def answer_enquiry(enquiry, answer, *, actor):
    """Answer the enquiry; the answer is kept with it and sent to the enquirer. Locks the enquiry row."""
    if not answer.strip():
        raise ValidationError({"answer": "Write the answer to send."})
    # Lock the enquiry so two editors cannot both answer it.
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status == EnquiryStatus.ANSWERED:
        raise ValidationError("This enquiry has already been answered.")
    enquiry.status, enquiry.answer = EnquiryStatus.ANSWERED, answer
    enquiry.answered_at, enquiry.answered_by = timezone.now(), actor
    with_actor(enquiry, actor).save()
    record("directory.enquiry_answered", f"Answered {enquiry.name}'s enquiry", actor=actor, subject=enquiry)
    _after_commit(send_reply, enquiry.email, "Your question to the partner directory", answer)
    return enquiry


@transaction.atomic
def remove_infrastructure_body(body, *, actor):
    """Take an infrastructure body out of the directory. Refused while a locality sends its
    enquiries to it (deleting it would silently stop the routing): give those localities another
    body, or none, first. History keeps the deleted row, with who deleted it."""
    routed = list(body.localities.order_by("name").values_list("name", flat=True))
    if routed:
        raise ValidationError(
            f"Enquiries from {', '.join(routed)} are sent to {body}: choose another infrastructure body for "
            f"{'that locality' if len(routed) == 1 else 'those localities'}, or none, before removing it."
        )
    with_actor(body, actor).delete()
