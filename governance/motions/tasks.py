"""Background work: a written resolution emailed to the eligible members who take email."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from governance.motions.models import WrittenResolution
from governance.motions.selectors import members_by_channel


@task()
def email_written_resolution(resolution_pk):
    resolution = WrittenResolution.objects.get(pk=resolution_pk)
    by_email, _ = members_by_channel(resolution.circulated_on)
    context = {
        "resolution": resolution,
        "url": settings.SITE_URL + reverse("motions:written", args=[resolution.pk]),
        "organisation_name": settings.ORGANISATION_NAME,
    }
    for member in by_email:
        send_mail(
            subject=f"Written resolution for your agreement: {resolution.title}",
            message=render_to_string("motions/email/written_resolution.txt", {**context, "member": member}),
            from_email=None,
            recipient_list=[member.email],
        )
