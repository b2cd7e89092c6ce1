"""Members' accounts: from joining to signing in, one journey.

A person who joins online and confirms their email address opens an account there and then
(`open_account`). An account whose verified email address belongs to exactly one member who has
no account is linked to that member (`link_account`); when it belongs to several (couples and
families share addresses), nothing is guessed: the membership office is asked
(`AccountReferral`) and decides (`resolve_referral`)."""

import datetime
import enum

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.history import with_actor
from membership.errors import MembershipError
from membership.models import AccountReferral, Application, Member
from membership.services import EMAIL_CONFIRMATION_SALT


class Linked(enum.Enum):
    ALREADY = "already"
    LINKED = "linked"
    REFERRED = "referred"
    NO_MEMBER = "no member"


def account_exists(email):
    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def application_for_account(token):
    """The application a confirmation link names, if the link is still fresh enough to open an
    account with (allauth's own confirmation expiry), else a MembershipError saying what to do."""
    max_age = datetime.timedelta(days=allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)
    try:
        reference = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise MembershipError(
            "This link is too old to set a password with. Sign up with the same email address instead: "
            "we will link your account to your membership."
        ) from error
    except signing.BadSignature as error:
        raise MembershipError("This confirmation link is not valid. Copy the whole link from the email.") from error
    application = Application.objects.filter(reference=reference).select_related("member").first()
    if application is None:
        raise MembershipError("We cannot find the application this link is for.")
    if not application.email:
        raise MembershipError("This application gave no email address, so it cannot open an account.")
    return application


@transaction.atomic(durable=True)
def open_account(application, password):
    """Open an account for the person who made `application`, with `password` (already checked
    against the password rules), its email address verified (they followed the link we sent
    to it). The account is linked to the member at once if admitted, else when the application
    is approved (`admit_applicant`). Locks the application and, if admitted, the member."""
    # The application's row: two account openings from one link at once would make two users.
    application = Application.objects.select_for_update().get(pk=application.pk)
    if account_exists(application.email):
        raise MembershipError(
            f"There is already an account for {application.email}. Sign in with it, or reset its password."
        )
    user = get_user_model().objects.create_user(
        application.email, password, first_name=application.first_name, last_name=application.last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if application.email_confirmed_at is None:
        application.email_confirmed_at = timezone.now()
    application.user = user
    with_actor(application, user).save(update_fields=["user", "email_confirmed_at"])
    if application.member_id is not None:
        # The member's row: an officer linking another account to them now cannot be overwritten.
        member = Member.objects.select_for_update().get(pk=application.member_id)
        if member.user_id is None:
            member.user = user
            with_actor(member, user).save(update_fields=["user"])
    return user


def _verified_emails(user):
    return list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))


@transaction.atomic
def link_account(user):
    """Link `user` to the member their verified email address belongs to.

    Exactly one member without an account: linked. Several: an `AccountReferral` (one open per
    account) asks the membership office, and REFERRED is returned. Locks the matching members."""
    if Member.objects.filter(user=user).exists():
        return Linked.ALREADY
    emails = _verified_emails(user)
    if not emails:
        return Linked.NO_MEMBER
    same_email = Q()
    for email in emails:
        same_email |= Q(email__iexact=email)
    # The candidate members' rows: an officer linking one of them at the same moment waits here.
    candidates = list(Member.objects.select_for_update().filter(same_email, user__isnull=True).order_by("pk"))
    if not candidates:
        return Linked.NO_MEMBER
    if len(candidates) == 1:
        member = candidates[0]
        member.user = user
        with_actor(member, user).save(update_fields=["user"])
        return Linked.LINKED
    referral = AccountReferral.objects.filter(user=user, resolved_at__isnull=True).first()
    if referral is None:
        referral = AccountReferral.objects.create(user=user, email=emails[0])
        referral.candidates.set(candidates)
    return Linked.REFERRED


def open_referral(user):
    """The account's referral still waiting for the membership office, or None."""
    if not user.is_authenticated:
        return None
    return AccountReferral.objects.filter(user=user, resolved_at__isnull=True).first()


@transaction.atomic(durable=True)
def resolve_referral(referral, member, *, actor):
    """The membership office links the referred account to `member`, one of its candidates.
    Locks the referral, then the member."""
    # The referral's row: two officers resolving it at once would both pass the unresolved check.
    locked = AccountReferral.objects.select_for_update().get(pk=referral.pk)
    if locked.resolved_at is not None:
        raise MembershipError("This account has already been dealt with.")
    if not locked.candidates.filter(pk=member.pk).exists():
        raise MembershipError(f"{member.full_name} does not share this account's email address; choose one who does.")
    # The member's row: a sign-in linking it at the same moment would both pass the no-account check.
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.user_id is not None:
        raise MembershipError(f"{member.full_name} already has an account. Choose another member.")
    member.user = locked.user
    with_actor(member, actor).save(update_fields=["user"])
    locked.linked_member = member
    locked.resolved_by = actor
    locked.resolved_at = timezone.now()
    with_actor(locked, actor).save(update_fields=["linked_member", "resolved_by", "resolved_at"])
    referral.refresh_from_db()
    return locked
