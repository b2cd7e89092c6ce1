"""What the motion and written-resolution pages share: acting through a service, and the company
secretary's checks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from governance.motions import services
from governance.motions.models import Motion, WrittenResolution
from governance.motions.permissions import can_decide
from membership.models import Member

PAGES = {Motion: "motions:motion", WrittenResolution: "motions:written"}


def act(request, pk, action, success, model=Motion):
    """Run one service on a motion (or a written resolution), turning a refusal into a message
    the member reads, and go back to its page."""
    subject = get_object_or_404(model, pk=pk)
    try:
        action(subject)
    except services.MotionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(PAGES[model], pk=subject.pk)


def secretary_only(request):
    if not can_decide(request.user):
        raise PermissionDenied("Only the company secretary may do this.")


def member_numbered(number):
    return Member.objects.filter(membership_number__iexact=number.strip()).first()
