"""The one way the back office is built. Each app declares its screens in `wagtail_hooks.py`
with these parts:

- `ViewOnlyPolicy`: rows that only services write (so each change is recorded) are listed and
  inspected in the back office, never added, edited or deleted there, superusers included;
- `ReadOnlyViewSet`: a listing and inspect view of such rows;
- `ScreenViewSet`: a screen of our own (a workflow: import, register as at a date), shown in the
  menu to those a permission predicate allows;
- `allowed` and `render`: the decorator and response every such screen's views use."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Those granted `view` may list and inspect; nobody adds, edits or deletes through the
    generic views. The services are the only writers."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReadOnlyViewSet(ModelViewSet):
    """A listing, inspect view and export of rows that only services write."""

    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # ModelViewSet insists on a form; the policy never shows it

    def register_permissions(self):
        register_permission_policy(self.model, ViewOnlyPolicy(self.model), exact_class=True)
        super().register_permissions()


class ScreenViewSet(ViewSet):
    """A back-office screen of our own: its views, shown in the menu to those `allowed`."""

    allowed = None  # a permission predicate (user -> bool), e.g. from membership.permissions
    views = ()  # (route, view, name); the first is the menu's destination

    @cached_property
    def menu_item_class(self):
        allowed = self.allowed

        class AllowedMenuItem(MenuItem):
            def is_shown(self, request):
                return allowed(request.user)

        return AllowedMenuItem

    def get_urlpatterns(self):
        return [path(route, view, name=name) for route, view, name in self.views]


def allowed(predicate):
    """Refuse (403) a back-office view to a user for whom `predicate(user)` is false."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator


def render(request, template, title, context=None, *, icon="group"):
    """A back-office page titled `title`."""
    return TemplateResponse(request, template, {"page_title": title, "header_icon": icon, **(context or {})})
