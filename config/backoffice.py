"""The one way the back office is built. Each app declares its screens in `wagtail_hooks.py`
with these parts:

- `ViewOnlyPolicy`: rows that only services write (so each change is recorded) are listed and
  inspected in the back office, never added, edited or deleted there, superusers included;
- `NeverDeletedPolicy`: rows that are changed in the back office but never deleted there;
- `ListingViewSet`: a model's listing with buttons of its own (`HeaderAction` above the list,
  `RowAction` on each row, each shown to those its permission predicate allows) and, if the
  listing is not every row, the function (`rows`) that gives it;
- `ActionsInspectView`: a row's inspect page offering the row actions its listing offers;
- `ReadOnlyViewSet`: a listing and inspect view of rows that only services write;
- `ScreenViewSet`: a screen of our own (a workflow: import, register as at a date), shown in the
  menu to those a permission predicate allows;
- `DurableSaveMixin`: a Wagtail create or edit view whose save calls services, run as one durable
  transaction (the contract an entry point keeps); `RefusalShownMixin`, the same, showing a
  service's refusal on the form;
- `allowed`, `render` and `paged`: the decorator, response and pagination every such screen's
  views use."""

from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Those granted `view` may list and inspect; nobody adds, edits or deletes through the
    generic views. The services are the only writers."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class NeverDeletedPolicy(ModelPermissionPolicy):
    """Those granted a model's rights may use them, except deleting: rows of it are never deleted
    through the back office, superusers included (the model says what is done instead)."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class DurableSaveMixin:
    """Wagtail saves a create or edit form in a plain `atomic` block of its own; this runs the whole
    form's handling, that block included, in a durable transaction, so the services its
    `save_instance` calls commit as one, with Wagtail's log entry, and never inside another."""

    def form_valid(self, form):
        with transaction.atomic(durable=True):
            return super().form_valid(form)


class RefusalShownMixin(DurableSaveMixin):
    """A create or edit view whose services refuse with one of `refusals` (exception types): the
    refusal's message is shown on the form, and nothing is saved (the durable transaction rolls
    back)."""

    refusals = ()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except self.refusals as error:
            form.add_error(None, str(error))
            self.produced_error_message = str(error)
            return self.form_invalid(form)


class HeaderAction(NamedTuple):
    """A button above a listing, to the page named `url_name`, for users `allowed(user)`."""

    label: str
    url_name: str
    icon: str
    allowed: Callable


class RowAction(NamedTuple):
    """A button on a listed row, to the page named `url_name` for that row, for users
    `allowed(user)` and rows `applies(row)` (every row if None)."""

    label: str
    url_name: str
    icon: str
    allowed: Callable
    applies: Callable | None = None
    priority: int = 5


class ListingView(IndexView):
    """A model's listing with its viewset's header and row actions, of the rows `rows()` gives."""

    header_actions = ()
    row_actions = ()
    rows = None

    def get_base_queryset(self):
        return self.rows() if self.rows is not None else super().get_base_queryset()

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        for action in self.header_actions:
            if action.allowed(self.request.user):
                buttons.append(HeaderButton(action.label, url=reverse(action.url_name), icon_name=action.icon))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for action in self.row_actions:
            if (action.applies is None or action.applies(instance)) and action.allowed(self.request.user):
                url = reverse(action.url_name, args=[instance.pk])
                buttons.append(ListingMenuItem(action.label, url=url, icon_name=action.icon, priority=action.priority))
        return buttons


class ActionsInspectView(InspectView):
    """A row's inspect page whose "More" menu offers the row actions its listing offers (each
    to those its permission predicate allows): a workflow is reached from the row's own page."""

    row_actions = ()

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        for action in self.row_actions:
            if (action.applies is None or action.applies(self.object)) and action.allowed(self.request.user):
                url = reverse(action.url_name, args=[self.object.pk])
                buttons.append(Button(action.label, url=url, icon_name=action.icon, priority=action.priority))
        return buttons


class ListingViewSet(ModelViewSet):
    """A ModelViewSet whose listing carries `header_actions` and `row_actions`, and lists
    `rows()` (a function, e.g. a selector) when set, else every row."""

    index_view_class = ListingView
    header_actions = ()
    row_actions = ()
    rows = None

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            header_actions=self.header_actions, row_actions=self.row_actions, rows=self.rows, **kwargs
        )


class ReadOnlyViewSet(ListingViewSet):
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


PAGE_SIZE = 100  # rows on a page of a screen of our own


def paged(request, rows):
    """The page of `rows` the request asks for, and the request's query without the page (for the
    pager's links, which keep the other choices)."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def render(request, template, title, context=None, *, icon="group"):
    """A back-office page titled `title`."""
    return TemplateResponse(request, template, {"page_title": title, "header_icon": icon, **(context or {})})
