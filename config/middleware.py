import re
import time

from allauth.mfa.utils import is_mfa_enabled
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

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
