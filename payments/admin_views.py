"""Back-office screens for the treasurer's workflows: recording money taken by hand,
withdrawing a share, retrying a Stripe event, cancelling a leaver's subscription, reconciling
with Stripe, and chasing yearly fees. Each checks its permission here, on the server, and calls
services."""

import stripe
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from config import rulebooks
from config.backoffice import allowed, paged, render
from config.csv_safety import csv_attachment
from membership.forms import RegisterAsAtForm
from membership.models import Member
from membership.selectors import register_as_at
from payments import events, fees, permissions, services, stripe_api, subscriptions
from payments.errors import PaymentError
from payments.forms import ManualPaymentForm, ReconcileForm, ShareWithdrawalForm
from payments.models import ReminderChannel, ShareHolding, StripeEvent
from payments.reconciliation import reconcile
from payments.selectors import shares_by_member, subscriptions_with_leavers


@allowed(permissions.can_record_payments)
def record_payment(request):
    form = ManualPaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.record_manual_payment(
                kind=data["kind"],
                amount_pence=data["amount"],
                method=data["method"],
                received_on=data["received_on"],
                reference=data["reference"],
                actor=request.user,
                **data["payer"],
            )
        except PaymentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded: {payment}.")
            return redirect("payments_payments:index")
    return render(request, "payments/admin/form.html", "Record a payment taken by hand", {"form": form})


@allowed(permissions.can_retry_events)
def cancel_for_leaver(request, pk):
    """Cancel at Stripe a subscription still charging someone who has left, when the automatic
    cancellation could not be made (Stripe down for long, or not set up at the time)."""
    subscription = get_object_or_404(subscriptions_with_leavers().select_related("member"), pk=pk)
    if request.method == "POST" and subscription.live_after_leaving:
        try:
            subscriptions.cancel_for_leaver(subscription.pk)
        except (PaymentError, stripe.StripeError) as error:
            messages.error(request, f"Stripe did not cancel it: {error}")
        else:
            messages.success(request, f"The subscription of {subscription.member} is cancelled at Stripe.")
        return redirect("payments_subscriptions:index")
    title = f"Cancel the subscription of {subscription.member}"
    return render(request, "payments/admin/cancel_for_leaver.html", title, {"subscription": subscription})


@allowed(permissions.can_withdraw_shares)
def withdraw(request, pk):
    holding = get_object_or_404(ShareHolding.objects.select_related("member", "payment"), pk=pk)
    form = ShareWithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.withdraw_share(
                holding.member,
                refund_method=data["refund_method"],
                on=data["on"],
                reference=data["reference"],
                actor=request.user,
            )
        except (PaymentError, stripe.StripeError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The share of {holding.member} is withdrawn and its refund recorded.")
            return redirect("payments_shares:index")
    context = {"form": form, "holding": holding}
    return render(request, "payments/admin/form.html", f"Withdraw the share of {holding.member}", context)


@allowed(permissions.can_retry_events)
def retry(request, pk):
    event = get_object_or_404(StripeEvent, pk=pk)
    if request.method != "POST":
        return render(request, "payments/admin/retry.html", f"Retry Stripe event {event.event_id}", {"event": event})
    try:
        events.retry_event(event, actor=request.user)
    except PaymentError as error:
        messages.error(request, str(error))
    else:
        event.refresh_from_db()
        messages.success(request, f"Event {event.event_id}: {event.get_status_display().lower()}.")
    return redirect("payments_events:index")


@allowed(permissions.can_see_shares)
def register_with_shares(request):
    """The statutory register of a society: members as at a date with the shares each then held."""
    form = RegisterAsAtForm(request.GET or {"as_at": timezone.localdate().isoformat()})
    context = {"form": form}
    if form.is_valid():
        day = form.cleaned_data["as_at"]
        page, query = paged(request, register_as_at(day, form.cleaned_data["constituency"]))
        shares = shares_by_member(day, members=[membership.member_id for membership in page])
        rows = [(membership, shares.get(membership.member_id, 0)) for membership in page]
        context.update(day=day, page=page, rows=rows, query=query)
    return render(request, "payments/admin/register.html", "Register of members and shares", context)


@allowed(permissions.can_reconcile)
def reconciliation(request):
    if not stripe_api.is_configured():
        return render(request, "payments/admin/reconciliation.html", "Reconcile with Stripe", {"not_set_up": True})
    form = ReconcileForm(request.GET or None)
    context = {"form": form}
    if "since" in request.GET and form.is_valid():
        try:
            context["mismatches"] = reconcile(form.cleaned_data["since"])
        except stripe.StripeError as error:
            context["stripe_error"] = str(error)
    return render(request, "payments/admin/reconciliation.html", "Reconcile with Stripe", context)


@allowed(permissions.can_chase_fees)
def fees_overdue(request):
    """Members whose yearly fee is overdue: remind them by email, print letters for those who take
    post, or end a membership for non-payment (a screen of its own, to confirm)."""
    if not fees.yearly_fee_in_force():
        return render(request, "payments/admin/fees_overdue.html", "Yearly fees overdue", {"no_yearly_fee": True})
    if request.method == "POST" and request.POST.get("channel") == ReminderChannel.EMAIL:
        reminded = fees.remind(ReminderChannel.EMAIL, actor=request.user)
        messages.success(request, f"Reminders are on their way by email to {len(reminded)} member(s).")
        return redirect("payments_fees:index")
    if request.method == "POST" and request.POST.get("channel") == ReminderChannel.POST:
        reminded = fees.remind(ReminderChannel.POST, actor=request.user)
        filename = f"fee-reminder-letters-{timezone.localdate()}.csv"
        return csv_attachment(filename, fees.letter_rows(reminded))
    owing = fees.overdue()
    page, _ = paged(request, owing)
    interval = rulebooks.current().payments.fee_reminder_interval_days
    context = {
        "page": page,
        "total": len(owing),
        "by_email": sum(1 for s in owing if not s.takes_post),
        "by_post": sum(1 for s in owing if s.takes_post),
        "interval": interval,
        "can_end": permissions.can_end_for_non_payment(request.user),
    }
    return render(request, "payments/admin/fees_overdue.html", "Yearly fees overdue", context)


@allowed(permissions.can_end_for_non_payment)
def end_for_non_payment(request, pk):
    member = get_object_or_404(Member, pk=pk)
    standing = fees.overdue_standing(member)
    if request.method == "POST":
        try:
            fees.end_for_non_payment(member, actor=request.user)
        except PaymentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The membership of {member.membership_number} has ended: yearly fee not paid.")
        return redirect("payments_fees:index")
    context = {"member": member, "standing": standing}
    title = f"End the membership of {member.membership_number} for non-payment"
    return render(request, "payments/admin/end_for_non_payment.html", title, context)
