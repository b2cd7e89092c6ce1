from allauth.mfa.utils import is_mfa_enabled
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from config.roles import needs_two_factors

BACK_OFFICE_PREFIXES = ("/admin/", "/django-admin/")
# Signing in, out, and setting up the second factor itself; nothing else is served without it.
ACCOUNT_PREFIX = "/accounts/"


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
            and needs_two_factors(request.user)
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
