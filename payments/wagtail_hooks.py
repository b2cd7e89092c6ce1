"""The treasurer's back office: payments, the register of shares, subscriptions and Stripe's events as
listings; recording money taken by hand, withdrawing a share, retrying an event and
reconciling with Stripe as screens of their own (payments/admin_views.py)."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup

from config.backoffice import HeaderAction, ReadOnlyViewSet, RowAction, ScreenViewSet
from payments import admin_views, permissions
from payments.models import Payment, ShareHolding, StripeEvent, Subscription
from payments.selectors import holdings_with_leavers, subscriptions_with_leavers

# Payments, shares, subscriptions and events change only through services, which write the record,
# so each is listed by a ReadOnlyViewSet.


class PaymentViewSet(ReadOnlyViewSet):
    model = Payment
    icon = "doc-full"
    menu_label = "Payments"
    header_actions = (
        HeaderAction(
            "Record a payment taken by hand", "payments_payments:record", "plus", permissions.can_record_payments
        ),
    )
    list_display = ["received_on", "kind", "amount_display", "method", "member", "application", "stripe_id"]
    list_filter = ["kind", "method", "received_on"]
    search_fields = ["stripe_id", "reference", "member__membership_number", "application__reference"]
    search_backend_name = None
    list_export = ["received_on", "kind", "amount_pence", "currency", "method", "stripe_id", "reference"]
    export_filename = "payments"

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("record/", admin_views.record_payment, name="record")]


class ShareHoldingViewSet(ReadOnlyViewSet):
    model = ShareHolding
    icon = "list-ul"
    menu_label = "Register of shares"
    rows = staticmethod(holdings_with_leavers)
    row_actions = (
        RowAction(
            "Withdraw and refund",
            "payments_shares:withdraw",
            "minus",
            permissions.can_withdraw_shares,
            applies=lambda holding: holding.withdrawn_on is None,
        ),
    )
    list_display = [
        "member",
        "shares",
        "value_pence",
        "issued_on",
        "withdrawn_on",
        BooleanColumn("held_after_leaving", label="Held by someone who has left"),
    ]
    list_filter = ["issued_on", "withdrawn_on"]
    search_fields = ["member__membership_number", "member__last_name"]
    search_backend_name = None
    list_export = ["member", "shares", "value_pence", "issued_on", "withdrawn_on"]
    export_filename = "register-of-shares"
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("withdraw/<int:pk>/", admin_views.withdraw, name="withdraw")]


class SubscriptionViewSet(ReadOnlyViewSet):
    """Members' yearly subscriptions as Stripe's webhook reports them; members manage their own
    card in Stripe's customer portal, so there is nothing to change here."""

    model = Subscription
    icon = "calendar-check"
    menu_label = "Subscriptions"
    rows = staticmethod(subscriptions_with_leavers)
    row_actions = (
        RowAction(
            "Cancel at Stripe",
            "payments_subscriptions:cancel_for_leaver",
            "cross",
            permissions.can_retry_events,
            applies=lambda subscription: subscription.live_after_leaving,
        ),
    )
    list_display = [
        "member",
        "status",
        "started_on",
        "current_period_end",
        BooleanColumn("live_after_leaving", label="Still charging a member who left"),
        "stripe_subscription_id",
    ]
    list_filter = ["status", "started_on"]
    search_fields = ["member__membership_number", "stripe_subscription_id", "stripe_customer_id"]
    search_backend_name = None
    list_export = ["member", "status", "started_on", "current_period_end", "stripe_subscription_id"]
    export_filename = "subscriptions"

    def get_urlpatterns(self):
        cancel = path("cancel/<int:pk>/", admin_views.cancel_for_leaver, name="cancel_for_leaver")
        return super().get_urlpatterns() + [cancel]


class StripeEventViewSet(ReadOnlyViewSet):
    model = StripeEvent
    icon = "warning"
    menu_label = "Stripe events"
    row_actions = (
        RowAction(
            "Retry",
            "payments_events:retry",
            "rotate",
            permissions.can_retry_events,
            applies=lambda event: event.needs_attention,
        ),
    )
    list_display = ["event_id", "type", "status", "attempts", "last_error", "received_at"]
    list_filter = ["status", "type"]
    search_fields = ["event_id"]
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("retry/<int:pk>/", admin_views.retry, name="retry")]


class PaymentsGroup(ModelViewSetGroup):
    menu_label = "Payments"
    menu_icon = "doc-full"
    menu_order = 210
    items = (
        PaymentViewSet("payments_payments"),
        ShareHoldingViewSet("payments_shares"),
        ScreenViewSet(
            "payments_register",
            menu_label="Register with shares as at a date",
            icon="list-ul",
            allowed=staticmethod(permissions.can_see_shares),
            views=(("", admin_views.register_with_shares, "index"),),
        ),
        SubscriptionViewSet("payments_subscriptions"),
        ScreenViewSet(
            "payments_fees",
            menu_label="Yearly fees overdue",
            icon="warning",
            allowed=staticmethod(permissions.can_chase_fees),
            views=(
                ("", admin_views.fees_overdue, "index"),
                ("end/<int:pk>/", admin_views.end_for_non_payment, "end"),
            ),
        ),
        StripeEventViewSet("payments_events"),
        ScreenViewSet(
            "payments_reconciliation",
            menu_label="Reconcile with Stripe",
            icon="table",
            allowed=staticmethod(permissions.can_reconcile),
            views=(("", admin_views.reconciliation, "index"),),
        ),
    )


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsGroup()
