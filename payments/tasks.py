import datetime

import stripe
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from config import rulebooks
from config.tasks import enqueue_later
from payments import services, stripe_api

# The task that processes Stripe events lives with them (payments.events); named here too so that
# tasks queued under its former path, payments.tasks.process_stripe_event, still run.
from payments.events import process_stripe_event  # noqa: F401
from payments.models import FeeReminder
from payments.subscriptions import cancel_for_leaver


@task()
def cancel_subscription_of_leaver(subscription_pk, attempts_made=0):
    """Cancel at Stripe the subscription of a member who has left (payments.signals). If Stripe
    cannot be reached, try again by itself a few times; after that the subscriptions listing
    flags it and the treasurer cancels it from there."""
    try:
        cancel_for_leaver(subscription_pk)
    except stripe.StripeError:
        again = enqueue_later(cancel_subscription_of_leaver, attempts_made + 1, subscription_pk, attempts_made + 1)
        if again is None:
            raise


@task()
def refund_share_of_leaver(holding_pk, left_on, attempts_made=0):
    """Withdraw the card-paid share of a member who has left and refund it to the card
    (payments.signals). If Stripe cannot be reached, try again by itself a few times; after that
    the register of shares flags it and the treasurer withdraws it from there."""
    try:
        services.refund_share_of_leaver(holding_pk, left_on=datetime.date.fromisoformat(left_on))
    except stripe.StripeError:
        again = enqueue_later(refund_share_of_leaver, attempts_made + 1, holding_pk, left_on, attempts_made + 1)
        if again is None:
            raise


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
