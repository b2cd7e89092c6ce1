"""Messages to applicants and members, sent in the background after the decision commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from membership.inspection_links import inspection_url
from membership.models import Application, InspectionRequest


@task()
def send_application_email(application_id, confirm_url):
    """Tell the applicant what happens next, and ask them to confirm their email address."""
    application = Application.objects.select_related("constituency", "member").get(pk=application_id)
    if not application.email:
        return
    context = {
        "application": application,
        "confirm_url": confirm_url,
        "organisation_name": settings.ORGANISATION_NAME,
    }
    send_mail(
        subject=f"Your application to join {settings.ORGANISATION_NAME}",
        message=render_to_string("membership/email/application_received.txt", context),
        from_email=None,
        recipient_list=[application.email],
    )


@task()
def send_decision_email(application_id):
    application = Application.objects.select_related("constituency", "member").get(pk=application_id)
    if not application.email:
        return
    context = {"application": application, "organisation_name": settings.ORGANISATION_NAME}
    send_mail(
        subject=f"Your application to join {settings.ORGANISATION_NAME}: {application.get_status_display().lower()}",
        message=render_to_string("membership/email/application_decided.txt", context),
        from_email=None,
        recipient_list=[application.email],
    )


INSPECTION_SUBJECTS = {
    "received": "We have your request to inspect the register of members",
    "granted": "You may now inspect the register of members",
    "refused": "Your request to inspect the register of members",
}


@task()
def send_inspection_email(inspection_id, outcome):
    """Tell the person who asked to inspect the register that we have their request, or our answer
    (with the link to inspect it, when granted)."""
    inspection = InspectionRequest.objects.get(pk=inspection_id)
    context = {
        "inspection": inspection,
        "organisation_name": settings.ORGANISATION_NAME,
        "inspect_url": inspection_url(inspection) if outcome == "granted" else "",
    }
    send_mail(
        subject=INSPECTION_SUBJECTS[outcome],
        message=render_to_string(f"membership/email/inspection_{outcome}.txt", context),
        from_email=None,
        recipient_list=[inspection.email],
    )
