import re

from allauth.mfa.utils import is_mfa_enabled
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from config.roles import has_staff_role

BACK_OFFICE_PREFIXES = ("/admin/", "/django-admin/")


class StaffMustUseMFAMiddleware:
    """Nobody in a staff role reaches the back office until they have set up two-factor
    authentication; they are sent to set it up, and back afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(BACK_OFFICE_PREFIXES)
            and request.user.is_authenticated
            and has_staff_role(request.user)
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request,
                "Your role reaches the back office, so you must set up two-factor "
                "authentication first. Scan the code with an authenticator app, then enter "
                "the six-digit code it shows.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
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
