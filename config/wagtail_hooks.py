"""Back-office wiring for accounts (granting roles asks for the password again) and the help menu."""

from wagtail import hooks

from config.accounts import require_recent_password


@hooks.register("before_create_user")
@hooks.register("before_edit_user")
def ask_for_the_password_before_granting_roles(request, user=None):
    """A user's form sets their roles (groups): the administrator confirms it is them, unless they
    gave their password in the last few minutes (allauth's reauthentication)."""
    require_recent_password(request)


@hooks.register("construct_help_menu")
def point_the_shortcuts_item_at_its_dialog(request, menu_items):
    """Wagtail's "Shortcuts" item is a button drawn as a link to "#", which takes a reader nowhere:
    point it at the dialog it opens (script still opens the dialog and stays on the page)."""
    for item in menu_items:
        if item.name == "keyboard-shortcuts-trigger":
            item.url = "#keyboard-shortcuts-dialog"
