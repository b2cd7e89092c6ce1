"""Back-office wiring for accounts: granting roles asks for the password again."""

from wagtail import hooks

from config.accounts import require_recent_password


@hooks.register("before_create_user")
@hooks.register("before_edit_user")
def ask_for_the_password_before_granting_roles(request, user=None):
    """A user's form sets their roles (groups): the administrator confirms it is them, unless they
    gave their password in the last few minutes (allauth's reauthentication)."""
    require_recent_password(request)
