"""allauth's hooks into membership: at every sign-in an account is linked to its member (by
verified email address, `accounts.link_account`), and members land on their portal."""

from django.contrib import messages
from django.urls import reverse

from config.accounts import AccountAdapter
from membership.accounts import Linked, link_account
from membership.selectors import member_for_user

REFERRED_MESSAGE = (
    "Your email address belongs to more than one member, so we have asked the membership office "
    "which member you are. They will link your account and write to you."
)


class MemberAccountAdapter(AccountAdapter):
    def post_login(self, request, user, **kwargs):
        if link_account(user) == Linked.REFERRED:
            messages.info(request, REFERRED_MESSAGE)
        return super().post_login(request, user, **kwargs)

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed and link_account(email_address.user) == Linked.REFERRED:
            messages.info(request, REFERRED_MESSAGE)
        return confirmed

    def get_login_redirect_url(self, request):
        if member_for_user(request.user) is not None:
            return reverse("portal")
        return super().get_login_redirect_url(request)
