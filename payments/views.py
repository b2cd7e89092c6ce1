"""The public side of payments: paying to join, donating, the yearly subscription and its card,
and Stripe's webhook."""

import json
import logging
import secrets

import stripe
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from config import rulebooks
from membership.models import Application, ApplicationStatus
from membership.selectors import current_membership, member_for_user
from payments import checkout, events, fees, services, stripe_api
from payments.forms import DonationForm
from payments.models import Subscription

logger = logging.getLogger(__name__)


def _not_set_up(request, status=200):
    return render(request, "payments/not_set_up.html", {"message": stripe_api.NOT_SET_UP}, status=status)


def application_checkout(request, reference):
    """Send an applicant awaiting payment on to Stripe Checkout. Admits nobody."""
    application = get_object_or_404(Application, reference=reference)
    if application.status != ApplicationStatus.AWAITING_PAYMENT:
        return redirect("payments:application_payment", reference=reference)
    kind, amount = services.joining_payment()
    if not stripe_api.is_configured():
        return render(
            request,
            "payments/pay_by_hand.html",
            {"application": application, "amount_pence": amount, "message": stripe_api.NOT_SET_UP},
        )
    try:
        session = checkout.joining_checkout(application, kind, amount)
    except stripe.StripeError:
        logger.exception("Stripe refused a joining checkout for application %s", reference)
        return render(
            request,
            "payments/pay_by_hand.html",
            {"application": application, "amount_pence": amount, "stripe_unavailable": True},
            status=503,
        )
    return redirect(session.url)


def application_payment(request, reference):
    """Where Stripe sends the applicant back. It reports; only the signed webhook admits."""
    application = get_object_or_404(Application.objects.select_related("member"), reference=reference)
    return render(
        request,
        "payments/application_payment.html",
        {
            "application": application,
            "awaiting": application.status == ApplicationStatus.AWAITING_PAYMENT,
            "cancelled": "cancelled" in request.GET,
            "amount_pence": services.joining_payment()[1],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def donate(request):
    rules = rulebooks.current().payments
    if not rules.donations:
        raise Http404("This organisation does not take donations.")
    member = member_for_user(request.user)
    if member is None or current_membership(member) is None:
        return render(request, "payments/donate_members_only.html")
    if not stripe_api.is_configured():
        return _not_set_up(request)
    form = DonationForm(request.POST or None, minimum_pence=rules.minimum_donation_pence)
    if request.method == "POST" and form.is_valid():
        try:
            session = checkout.donation_checkout(
                member, form.cleaned_data["amount"], request.POST.get("attempt") or secrets.token_urlsafe(16)
            )
        except stripe.StripeError:
            logger.exception("Stripe refused a donation checkout for member %s", member.membership_number)
            form.add_error(None, "We could not reach our card payment provider. Please try again in a few minutes.")
        else:
            return redirect(session.url)
    yearly_fee = rules.fee_period == "yearly" and rules.fee_pence > 0
    return render(
        request, "payments/donate.html", {"form": form, "attempt": secrets.token_urlsafe(16), "yearly_fee": yearly_fee}
    )


def donated(request):
    return render(request, "payments/donated.html", {"cancelled": "cancelled" in request.GET})


NO_YEARLY_FEE = "This organisation does not charge a yearly membership fee, so there is no subscription to pay."


def _subscriber(request):
    """The signed-in current member, or None."""
    member = member_for_user(request.user)
    if member is None or current_membership(member) is None:
        return None
    return member


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request):
    """A member's yearly subscription: start one through Stripe Checkout, or see theirs and
    manage its card. Coming back from Stripe marks nothing paid: only the signed webhook does."""
    rules = rulebooks.current().payments
    if rules.fee_period != "yearly" or rules.fee_pence <= 0:
        return render(request, "payments/not_set_up.html", {"message": NO_YEARLY_FEE, "title": "No yearly fee"})
    member = _subscriber(request)
    if member is None:
        return render(request, "payments/subscription_members_only.html")
    if not stripe_api.is_configured():
        return _not_set_up(request)
    live = [s for s in member.subscriptions.all() if s.is_live]
    error = None
    if request.method == "POST" and not live:
        try:
            session = checkout.subscription_checkout(member, request.POST.get("attempt") or secrets.token_urlsafe(16))
        except stripe.StripeError:
            logger.exception("Stripe refused a subscription checkout for member %s", member.membership_number)
            error = "We could not reach our card payment provider. Please try again in a few minutes."
        else:
            return redirect(session.url)
    return render(
        request,
        "payments/subscription.html",
        {
            "fee_pence": rules.fee_pence,
            "standing": fees.standing_of(member),
            "subscriptions": live,
            "started": "started" in request.GET,
            "cancelled": "cancelled" in request.GET,
            "error": error,
            "attempt": secrets.token_urlsafe(16),
        },
        status=503 if error else 200,
    )


@login_required
@require_POST
def subscription_card(request, pk):
    """Send a subscriber to Stripe's customer portal to change their card or cancel. Only their
    own subscription: anyone else's is not found."""
    # A user who is no member matches no subscription (member is never null): not found.
    owned = get_object_or_404(Subscription, pk=pk, member=member_for_user(request.user))
    if not stripe_api.is_configured():
        return _not_set_up(request)
    try:
        portal = checkout.card_portal(owned)
    except stripe.StripeError:
        logger.exception("Stripe refused a portal session for subscription %s", owned.stripe_subscription_id)
        return render(
            request,
            "payments/not_set_up.html",
            {"message": "We could not reach our card payment provider. Please try again in a few minutes."},
            status=503,
        )
    return redirect(portal.url)


@csrf_exempt  # Stripe cannot send our CSRF token; the signature proves the sender instead.
@require_POST
def stripe_webhook(request):
    """Stripe's one endpoint: verify the signature, store the event once, answer at once.
    Processing happens in the task queue."""
    try:
        stripe_api.verified_event(request.body, request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("Signature verification failed.")
    events.store_event(json.loads(request.body))
    return HttpResponse(status=200)
