"""Back-office wiring for accounts: granting roles asks for the password again."""

from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from wagtail import hooks


@hooks.register("before_create_user")
@hooks.register("before_edit_user")
def ask_for_the_password_before_granting_roles(request, user=None):
    """A user's form sets their roles (groups): the administrator confirms it is them, unless they
    gave their password in the last few minutes (allauth's reauthentication)."""
    raise_if_reauthentication_required(request, app="")
