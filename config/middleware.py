import re
import time

from allauth.mfa.utils import is_mfa_enabled
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from wagtail.models import Page

from config.roles import needs_two_factors

BACK_OFFICE_PREFIXES = ("/admin/", "/django-admin/")
# Signing in, out, and setting up the second factor itself; nothing else is served without it.
ACCOUNT_PREFIX = "/accounts/"


def reaches_more_than_a_member(request):
    """`needs_two_factors` for the signed-in user, asked once per request."""
    if not hasattr(request, "_needs_two_factors"):
        request._needs_two_factors = needs_two_factors(request.user)
    return request._needs_two_factors


class StaffSessionIdleTimeoutMiddleware:
    """Django has one session age for everyone; a session whose account reaches more than a
    member's also ends after `settings.STAFF_IDLE_MINUTES` without a request."""

    LAST_SEEN = "staff_last_seen"
    # Saving the session on every request would write to the database each time; once a minute will do.
    RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and reaches_more_than_a_member(request):
            now = int(time.time())
            last_seen = request.session.get(self.LAST_SEEN, now)
            if now - last_seen > settings.STAFF_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {settings.STAFF_IDLE_MINUTES} minutes without activity. "
                    "Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= self.RESOLUTION_SECONDS or self.LAST_SEEN not in request.session:
                request.session[self.LAST_SEEN] = now
        return self.get_response(request)


class StaffMustUseMFAMiddleware:
    """Anyone whose account reaches more than a member's (`config.roles.needs_two_factors`: a staff
    role, a grant on some body or election, a director's seat) is sent to set up two-factor
    authentication before any page is read or any form is sent, and back afterwards.

    One check for the whole site rather than one per view: a view added tomorrow is covered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.path.startswith(ACCOUNT_PREFIX)
            and request.user.is_authenticated
            and not is_mfa_enabled(request.user)
            and reaches_more_than_a_member(request)
        ):
            messages.warning(
                request,
                "Your role lets you see and change more than a member can, so you must set up "
                "two-factor authentication first. Scan the code with an authenticator app, then "
                "enter the six-digit code it shows.",
            )
            back_to = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': back_to})}")
        return self.get_response(request)


class CommonwealCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere; Wagtail's back office needs inline scripts and styles."""

    def process_response(self, request, response):
        if request.path.startswith(BACK_OFFICE_PREFIXES) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.CSP_ADMIN_DIRECTIVES
        return super().process_response(request, response)


CHOSEN_URL = re.compile(r"^/admin/(?:documents|images)/chooser/chosen(?:/(?P<id>[^/]*)/|-multiple/)$")
DATABASE_ID = re.compile(r"[0-9]{1,18}")


class ChooserIdsAreNumbersMiddleware:
    """Wagtail's document and image choosers look up the id they are given as it comes, and one that
    is not a number fails in the database (a server error). Here it is simply not found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = CHOSEN_URL.match(request.path_info)
        if chosen:
            ids = [chosen["id"]] if chosen["id"] is not None else request.GET.getlist("id")
            if not all(DATABASE_ID.fullmatch(id_) for id_ in ids):
                raise Http404("There is no document or image with that id.")
        return self.get_response(request)


NULL_IN_ADDRESS = (
    "The address holds a null character (%00), which no page here accepts. Remove it from the address and try again."
)
NO_LINK_ADDRESS = "Give the address (URL) to link to, then choose Insert link again."
ROOT_PAGE_LOCK = "The root of the page tree is not a page anyone edits, so it is never locked. Choose a page under it."


def _link_without_address(request, kwargs):
    """Wagtail's external-link chooser takes a missing address for None and fails."""
    return request.method == "POST" and not request.POST.get("external-link-chooser-url", "").strip()


def _root_page(request, kwargs):
    """Wagtail's lock and unlock views send you back to the page's parent, and the root has none."""
    page_id = kwargs.get("page_id")
    return request.method == "POST" and Page.objects.filter(pk=page_id, depth=1).exists()


# Back-office URLs (by name) whose Wagtail view fails on a request it should refuse: the test of
# that request and what to say instead.
REFUSED_BEFORE_WAGTAIL = {
    "wagtailadmin_choose_page_external_link": (_link_without_address, NO_LINK_ADDRESS),
    "wagtailadmin_pages:lock": (_root_page, ROOT_PAGE_LOCK),
    "wagtailadmin_pages:unlock": (_root_page, ROOT_PAGE_LOCK),
}


def malformed_request_problem(request):
    """Why a request cannot be answered at all, or None: a null character in the query string
    (PostgreSQL cannot compare text that holds one), or a back-office request a Wagtail view would
    fail on (`REFUSED_BEFORE_WAGTAIL`)."""
    if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
        return NULL_IN_ADDRESS
    if not request.path_info.startswith(BACK_OFFICE_PREFIXES):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    refused = REFUSED_BEFORE_WAGTAIL.get(match.view_name)
    if refused and refused[0](request, match.kwargs):
        return refused[1]
    return None


class MalformedRequestsAreRefusedMiddleware:
    """Answer a request no page could serve with 400 and the reason, before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = malformed_request_problem(request)
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
