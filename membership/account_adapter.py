"""allauth's hooks into membership: at every sign-in an account is linked to its member (by
verified email address, `accounts.link_account`), and members (and those waiting to be linked to
theirs) land on their portal."""

from django.contrib import messages
from django.urls import reverse

from config.accounts import AccountAdapter
from membership.accounts import Linked, link_account, open_referral
from membership.selectors import member_for_user

REFERRED_MESSAGE = (
    "Your email address belongs to more than one member, so we have asked the membership office "
    "which member you are. They will link your account and write to you."
)


class MemberAccountAdapter(AccountAdapter):
    def post_login(self, request, user, **kwargs):
        if link_account(user) == Linked.REFERRED:
            _tell_referred(request)
        return super().post_login(request, user, **kwargs)

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed and link_account(email_address.user) == Linked.REFERRED:
            _tell_referred(request)
        return confirmed

    def get_login_redirect_url(self, request):
        return _portal(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        # Confirming a sign-up signs the person in (and links their member) before this is asked.
        return _portal(request) or super().get_signup_redirect_url(request)


def _tell_referred(request):
    """Say so once: confirming a sign-up also signs the person in, and both ask the office."""
    if not getattr(request, "_told_referred", False):
        request._told_referred = True
        messages.info(request, REFERRED_MESSAGE)


def _portal(request):
    """The portal, for a member or one the office is still matching to their member (the portal
    says so), rather than a home page that asks them to join; else None."""
    if member_for_user(request.user) is not None or open_referral(request.user) is not None:
        return reverse("portal")
    return None
