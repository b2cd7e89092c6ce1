"""The link that opens a granted inspection of the register (membership.inspection): made for the
email that grants it (membership.tasks), read back by the inspection page (membership.views)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from membership.errors import MembershipError
from membership.models import InspectionRequest, InspectionStatus

INSPECTION_SALT = "membership.register.inspection"


def inspection_url(inspection):
    token = signing.dumps(inspection.reference, salt=INSPECTION_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("membership:inspect", kwargs={"token": token})


def inspection_for_token(token, now=None):
    """The granted request a link names while its inspection is open, else a MembershipError."""
    try:
        reference = signing.loads(token, salt=INSPECTION_SALT)
    except signing.BadSignature as error:
        raise MembershipError("This inspection link is not valid. Copy the whole link from the email.") from error
    inspection = InspectionRequest.objects.filter(reference=reference, status=InspectionStatus.GRANTED).first()
    if inspection is None:
        raise MembershipError("This inspection link is not valid.")
    if (now or timezone.now()) >= inspection.access_until:
        raise MembershipError(
            f"This inspection ended on {timezone.localtime(inspection.access_until):%d %B %Y}. "
            "Ask again if you still need to inspect the register."
        )
    return inspection
