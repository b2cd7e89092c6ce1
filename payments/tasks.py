import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from governance import rulebooks
from payments import services, stripe_api
from payments.events import process_event
from payments.models import FeeReminder
from payments.subscriptions import cancel_for_leaver


@task()
def process_stripe_event(event_pk):
    """Process one stored Stripe event (a webhook never waits on it)."""
    process_event(event_pk)


@task()
def cancel_subscription_of_leaver(subscription_pk):
    """Cancel at Stripe the subscription of a member who has left (payments.signals)."""
    cancel_for_leaver(subscription_pk)


@task()
def refund_share_of_leaver(holding_pk, left_on):
    """Withdraw the card-paid share of a member who has left and refund it to the card (payments.signals)."""
    services.refund_share_of_leaver(holding_pk, left_on=datetime.date.fromisoformat(left_on))


@task()
def email_fee_reminder(reminder_pk):
    """Email one reminder that the member's yearly fee is overdue (payments.fees.remind)."""
    reminder = FeeReminder.objects.select_related("member").get(pk=reminder_pk)
    member = reminder.member
    if not member.email:
        return
    context = {
        "member": member,
        "reminder": reminder,
        "fee_pence": rulebooks.current().payments.fee_pence,
        "pay_url": settings.SITE_URL.rstrip("/") + reverse("payments:subscription"),
        "card_payments": stripe_api.is_configured(),
        "organisation_name": settings.ORGANISATION_NAME,
    }
    send_mail(
        subject=f"Your yearly membership fee for {settings.ORGANISATION_NAME}",
        message=render_to_string("payments/email/fee_reminder.txt", context),
        from_email=None,
        recipient_list=[member.email],
    )
