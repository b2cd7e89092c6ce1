"""Changes to the register. Each is one transaction that writes history (the acting user) and a
governance record entry, or nothing at all.

Record entries name members by membership number, never by name: the record cannot be edited,
and a member's name must be erasable (`privacy.erase_member`)."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config import rulebooks
from config.history import with_actor
from membership.bulk import BATCH_SIZE, Admission, admission_drafts, create_with_history, new_membership_numbers
from membership.census_answers import discard_applicant_answers, keep_applicant_answers, move_applicant_answers
from membership.eligibility import applicant_eligibility
from membership.errors import MembershipError
from membership.models import (
    Application,
    ApplicationStatus,
    CeaseReason,
    Member,
    Membership,
    ProposedLeaver,
    normalise_postcode,
)
from membership.selectors import current_membership, likely_duplicate
from membership.signals import membership_ceased
from membership.tasks import send_application_email, send_decision_email
from records.services import record, record_many


@transaction.atomic
def admit_members(constituency, admissions, *, admitted_on=None, actor=None, record_each=True):
    """Admit every one of `admissions` to `constituency` from `admitted_on` (today by default):
    new members are made with numbers from the one allocator, and each admission gets its
    Membership, history rows (acting as `actor`) and its own `member.admitted` record entry;
    or, with `record_each=False`, none: the caller (an import) writes one entry for them all that
    names them by `bulk.admissions_digest` of the ids returned.

    All or nothing: if anyone already has a membership covering the date, MembershipError and
    nothing is written. Holds no row locks: the database's constraints on memberships refuse a
    concurrent admission of the same person. Returns the new memberships' ids, in order."""
    admitted_on = admitted_on or timezone.localdate()
    user = actor if actor is not None and actor.is_authenticated else None
    new = [admission for admission in admissions if admission.member_id is None]
    numbers = new_membership_numbers(len(new))
    rows = [{"membership_number": number, **a.details} for number, a in zip(numbers, new, strict=True)]
    new_ids = create_with_history(Member, rows, user=user)
    number_of = dict(zip(new_ids, numbers, strict=True))
    existing = [a.member_id for a in admissions if a.member_id is not None]
    for start in range(0, len(existing), BATCH_SIZE):
        number_of.update(
            Member.objects.filter(pk__in=existing[start : start + BATCH_SIZE]).values_list("pk", "membership_number")
        )
    new_id = iter(new_ids)
    values = [
        {
            "member_id": a.member_id if a.member_id is not None else next(new_id),
            "constituency_id": constituency.pk,
            "member_class": a.member_class,
            "admitted_on": a.admitted_on or admitted_on,
        }
        for a in admissions
    ]
    try:
        with transaction.atomic():
            membership_ids = create_with_history(Membership, values, user=user)
    except IntegrityError as error:
        named = ", ".join(number_of[pk] for pk in existing[:10])
        raise MembershipError(
            f"A membership already covers {admitted_on:%d %B %Y} for someone being admitted ({named}); "
            "end it or transfer them instead."
        ) from error
    if record_each:
        drafts = admission_drafts(constituency, membership_ids, values, number_of)
        record_many("member.admitted", drafts, actor=actor)
    return membership_ids


@transaction.atomic
def admit_member(member, constituency, *, admitted_on=None, member_class="", actor=None):
    """Admit `member` to `constituency` from `admitted_on` (today by default), through
    `admit_members`. Refuses a member who already has a current membership: use
    `transfers.transfer_constituency`. Locks the member row."""
    # The member's row (no key: rows pointing at the member need not wait): two admissions of one person queue here.
    Member.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
    existing = current_membership(member)
    if existing is not None:
        raise MembershipError(
            f"{member.full_name} is already a member of the {existing.constituency} constituency "
            f"(since {existing.admitted_on:%d %B %Y}). Transfer them instead."
        )
    [membership_id] = admit_members(
        constituency, [Admission(member_class, member.pk)], admitted_on=admitted_on, actor=actor
    )
    membership = Membership.objects.get(pk=membership_id)
    membership.member = member
    return membership


@transaction.atomic
def cease_membership(member, reason, *, ceased_on=None, actor=None):
    """End `member`'s current membership on `ceased_on` (today by default) for `reason`."""
    ceased_on = ceased_on or timezone.localdate()
    reason = CeaseReason(reason)
    # The current membership's row: two cessations at once would both end it and both record it.
    membership = Membership.objects.select_for_update().filter(member=member, ceased_on__isnull=True).first()
    if membership is None:
        raise MembershipError(f"{member.full_name} has no current membership to end.")
    if ceased_on < membership.admitted_on:
        raise MembershipError(
            f"A membership cannot end ({ceased_on:%d %B %Y}) before it began ({membership.admitted_on:%d %B %Y})."
        )
    membership.ceased_on = ceased_on
    membership.cease_reason = reason
    with_actor(membership, actor).save(update_fields=["ceased_on", "cease_reason"])
    record(
        "member.ceased",
        f"Member {member.membership_number} ceased to be a member of the {membership.constituency} constituency "
        f"on {ceased_on:%d %B %Y}: {reason.label}",
        actor=actor,
        subject=membership,
        payload={"member": member.membership_number, "ceased_on": ceased_on.isoformat(), "reason": reason.value},
    )
    membership_ceased.send(sender=Membership, membership=membership)
    return membership


CONTACT_FIELDS = ("email", "phone", "address_line_1", "address_line_2", "town", "postcode")
PREFERENCE_FIELDS = ("post_only", "large_print", "easy_read", "withheld_from_public_register")
# What an applicant tells us about themselves; copied to the member when they are admitted.
APPLICANT_FIELDS = ("title", "first_name", "last_name", "date_of_birth") + CONTACT_FIELDS + PREFERENCE_FIELDS
EMAIL_CONFIRMATION_SALT = "membership.application.email"


def payment_required():
    """Whether joining waits for a payment: a share, or a one-off joining fee (the rulebook)."""
    payments = rulebooks.current().payments
    return payments.share_required or (payments.fee_pence > 0 and payments.fee_period == "one-off")


def email_confirmation_url(application):
    token = signing.dumps(application.reference, salt=EMAIL_CONFIRMATION_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("membership:confirm_email", kwargs={"token": token})


@transaction.atomic(durable=True)
def apply(
    constituency,
    *,
    declarations=(),
    user=None,
    member_class="",
    on=None,
    census_answers=None,
    census_consent=False,
    **details,
):
    """Take an application to join `constituency` and decide what happens to it next.

    `details` are the APPLICANT_FIELDS; `census_answers` the optional census questions, kept
    beside the application only with `census_consent` (`census_answers.keep_applicant_answers`).
    An applicant the rules do not admit, or who answers without consent, is refused with a
    MembershipError naming each reason. Then, in this order: a joining payment puts the
    application to await it (payments approves it once paid); a likely duplicate of an existing
    member (same name, date of birth and postcode) waits for an officer and is never merged
    silently; where the rulebook admits automatically the applicant is admitted at once;
    otherwise the application waits for an officer. Locks nothing beyond `admit_applicant`.
    """
    on = on or timezone.localdate()
    unknown = set(details) - set(APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"apply() does not take {', '.join(sorted(unknown))}")
    details["postcode"] = normalise_postcode(details.get("postcode", ""))
    eligibility = applicant_eligibility(
        constituency,
        date_of_birth=details["date_of_birth"],
        postcode=details["postcode"],
        declared=bool(declarations),
        on=on,
    )
    if not eligibility.eligible:
        raise MembershipError(" ".join(eligibility.reasons))
    application = Application.objects.create(
        reference=secrets.token_urlsafe(16),
        constituency=constituency,
        member_class=member_class,
        declarations=list(declarations),
        user=user if user is not None and user.is_authenticated else None,
        possible_duplicate_of=likely_duplicate(
            details["first_name"], details["last_name"], details["date_of_birth"], details["postcode"]
        ),
        **details,
    )
    keep_applicant_answers(application, consent=census_consent, answers=census_answers or {})
    if payment_required():
        application.status = ApplicationStatus.AWAITING_PAYMENT
        application.save(update_fields=["status"])
    elif rulebooks.current().membership.automatic_admission and application.possible_duplicate_of is None:
        admit_applicant(
            application, admitted_on=on, reason="Admitted automatically: eligible under the rules", notify=False
        )
    confirm_url = email_confirmation_url(application)
    transaction.on_commit(lambda: _send_application_email(application.pk, confirm_url))
    return application


def _send_application_email(application_id, confirm_url):
    send_application_email.enqueue(application_id, confirm_url)


def _send_decision_email(application_id):
    send_decision_email.enqueue(application_id)


def _locked_open_application(application):
    # The application's row: an officer's decision and a payment webhook cannot both decide it.
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_open:
        raise MembershipError(f"This application has already been decided ({locked.get_status_display().lower()}).")
    return locked


@transaction.atomic(durable=True)
def approve_application(application, *, actor=None, use_member=None, reason=""):
    """A membership officer approves the application: `admit_applicant` as a transaction of its own."""
    return admit_applicant(application, actor=actor, use_member=use_member, reason=reason)


@transaction.atomic
def admit_applicant(application, *, actor=None, admitted_on=None, use_member=None, reason="", notify=True):
    """Admit the applicant: a new member made from the application, or `use_member` (the
    existing member an officer has confirmed the applicant is), then `admit_member`. Composed
    into the transaction of its caller (`apply`, `approve_application`, a payment).

    Locks the application row, then the member's (in `admit_member`). Returns the Membership.
    """
    locked = _locked_open_application(application)
    member = use_member or _member_from(locked, actor)
    if member.user_id is None and locked.user_id is not None and not Member.objects.filter(user=locked.user).exists():
        member.user = locked.user
        with_actor(member, actor).save(update_fields=["user"])
    membership = admit_member(
        member, locked.constituency, admitted_on=admitted_on, member_class=locked.member_class, actor=actor
    )
    locked.member = member
    move_applicant_answers(locked, member)
    _decide(locked, ApplicationStatus.APPROVED, actor, reason)
    record(
        "application.approved",
        f"Application {locked.reference} to the {locked.constituency} constituency approved "
        f"(member {member.membership_number})" + (f": {reason}" if reason else ""),
        actor=actor,
        subject=locked,
        payload={"reference": locked.reference, "member": member.membership_number, "reason": reason},
    )
    application.refresh_from_db()
    if notify:
        transaction.on_commit(lambda: _send_decision_email(locked.pk))
    return membership


def _decide(application, status, actor, reason=""):
    application.status = status
    application.decided_by = actor if actor is not None and actor.is_authenticated else None
    application.decided_at = timezone.now()
    application.decision_reason = reason
    with_actor(application, actor).save()


def _member_from(application, actor):
    member = Member(
        membership_number=new_membership_numbers(1)[0],
        **{name: getattr(application, name) for name in APPLICANT_FIELDS},
    )
    with_actor(member, actor).save()
    return member


@transaction.atomic(durable=True)
def reject_application(application, reason, *, actor):
    """Refuse the application for `reason` (told to the applicant). Locks the application row."""
    if not reason.strip():
        raise MembershipError("Give the reason for rejecting the application; the applicant is told it.")
    locked = _locked_open_application(application)
    _decide(locked, ApplicationStatus.REJECTED, actor, reason)
    discard_applicant_answers([locked.pk])
    record(
        "application.rejected",
        f"Application {locked.reference} to the {locked.constituency} constituency rejected: {reason}",
        actor=actor,
        subject=locked,
        payload={"reference": locked.reference, "reason": reason},
    )
    application.refresh_from_db()
    transaction.on_commit(lambda: _send_decision_email(locked.pk))
    return locked


@transaction.atomic(durable=True)
def withdraw_application(application, *, actor=None):
    """The applicant (or an officer on their behalf) withdraws an undecided application.
    Locks the application row."""
    locked = _locked_open_application(application)
    _decide(locked, ApplicationStatus.WITHDRAWN, actor)
    discard_applicant_answers([locked.pk])
    record(
        "application.withdrawn",
        f"Application {locked.reference} to the {locked.constituency} constituency withdrawn",
        actor=actor,
        subject=locked,
        payload={"reference": locked.reference},
    )
    application.refresh_from_db()
    return locked


@transaction.atomic(durable=True)
def confirm_application_email(token):
    """Mark the email address of the application named in a signed `token` as confirmed."""
    try:
        reference = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT)
    except signing.BadSignature as error:
        raise MembershipError("This confirmation link is not valid. Copy the whole link from the email.") from error
    # The application's row: two clicks on the link at once stamp the confirmation's time once.
    application = Application.objects.select_for_update().filter(reference=reference).first()
    if application is None:
        raise MembershipError("We cannot find the application this link is for.")
    if application.email_confirmed_at is None:
        application.email_confirmed_at = timezone.now()
        application.save(update_fields=["email_confirmed_at"])
    return application


@transaction.atomic(durable=True)
def resolve_leaver_proposal(proposal, *, left, actor):
    """An officer's answer to a proposed leaver: `left` ends the membership today (left
    employment); otherwise the proposal is dismissed and the member stays. Locks the proposal."""
    # The proposal's row: two officers answering at once would both pass the unresolved check.
    locked = ProposedLeaver.objects.select_for_update().get(pk=proposal.pk)
    if locked.resolved_at is not None:
        raise MembershipError("This proposed leaver has already been dealt with.")
    if left:
        cease_membership(locked.member, CeaseReason.LEFT_EMPLOYMENT, actor=actor)
    locked.outcome = "ceased" if left else "dismissed"
    locked.resolved_at = timezone.now()
    with_actor(locked, actor).save(update_fields=["outcome", "resolved_at"])
    proposal.refresh_from_db()
    return locked
