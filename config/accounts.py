"""How allauth treats our users: its mail is never queued, and a password given moments ago counts
as a recent one.

allauth's mail carries sign-in links, confirmation links and password-reset links, so it is
delivered at once with the delivery backend, never left in the task table (`config.mail`).

allauth asks for the password again before a sensitive change unless it was re-entered within
`ACCOUNT_REAUTHENTICATION_TIMEOUT`; signing in itself does not count. A clerk who has just signed
in and is sent to set up two factors would type the password twice in a row, so here a sign-in
within that time counts too. The sensitive actions (declaring a result, approving minutes,
exporting personal data, granting roles) are marked with allauth's `reauthentication_required`.
"""

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from allauth.core import context

from config.mail import delivery_connection


def signed_in_moments_ago(request):
    """Whether this session's user gave their password (or a second factor) within the timeout."""
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    return time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT


def require_recent_password(request):
    """For a sensitive action, called once the view knows the user may take it: unless the password
    was given in the last few minutes, allauth asks for it and then carries the request through."""
    raise_if_reauthentication_required(request, app="")


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.connection = delivery_connection()  # a secret: not through the task queue
        return message

    def is_reauthentication_required(self, *, app, **kwargs):
        if signed_in_moments_ago(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
