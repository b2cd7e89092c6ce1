"""The treasurer's back office: payments, the register of shares, subscriptions and Stripe's events as
listings; recording money taken by hand, withdrawing a share, retrying an event and
reconciling with Stripe as screens of their own (payments/admin_views.py)."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from config.backoffice import ScreenViewSet, ViewOnlyPolicy
from payments import admin_views, permissions
from payments.models import Payment, ShareHolding, StripeEvent, Subscription
from payments.selectors import holdings_with_leavers, subscriptions_with_leavers

# Payments, shares, subscriptions and events change only through services, which write the record.
for model in (Payment, ShareHolding, Subscription, StripeEvent):
    register_permission_policy(model, ViewOnlyPolicy(model))


class PaymentIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if permissions.can_record_payments(self.request.user):
            url = reverse("payments_payments:record")
            buttons.append(HeaderButton("Record a payment taken by hand", url=url, icon_name="plus"))
        return buttons


class PaymentViewSet(ModelViewSet):
    model = Payment
    icon = "doc-full"
    menu_label = "Payments"
    index_view_class = PaymentIndexView
    list_display = ["received_on", "kind", "amount_display", "method", "member", "application", "stripe_id"]
    list_filter = ["kind", "method", "received_on"]
    search_fields = ["stripe_id", "reference", "member__membership_number", "application__reference"]
    search_backend_name = None
    list_export = ["received_on", "kind", "amount_pence", "currency", "method", "stripe_id", "reference"]
    export_filename = "payments"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["reference"]  # required by ModelViewSet; the policy closes the generic forms

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("record/", admin_views.record_payment, name="record")]


class ShareIndexView(IndexView):
    def get_base_queryset(self):
        return holdings_with_leavers()

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.withdrawn_on is None and permissions.can_withdraw_shares(self.request.user):
            url = reverse("payments_shares:withdraw", args=[instance.pk])
            buttons.append(ListingMenuItem("Withdraw and refund", url=url, icon_name="minus", priority=5))
        return buttons


class ShareHoldingViewSet(ModelViewSet):
    model = ShareHolding
    icon = "list-ul"
    menu_label = "Register of shares"
    index_view_class = ShareIndexView
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
    copy_view_enabled = False
    form_fields = ["shares"]  # required by ModelViewSet; the policy closes the generic forms

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("withdraw/<int:pk>/", admin_views.withdraw, name="withdraw")]


class SubscriptionIndexView(IndexView):
    def get_base_queryset(self):
        return subscriptions_with_leavers()

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.live_after_leaving and permissions.can_retry_events(self.request.user):
            url = reverse("payments_subscriptions:cancel_for_leaver", args=[instance.pk])
            buttons.append(ListingMenuItem("Cancel at Stripe", url=url, icon_name="cross", priority=5))
        return buttons


class SubscriptionViewSet(ModelViewSet):
    """Members' yearly subscriptions as Stripe's webhook reports them; members manage their own
    card in Stripe's customer portal, so there is nothing to change here."""

    model = Subscription
    icon = "calendar-check"
    index_view_class = SubscriptionIndexView
    menu_label = "Subscriptions"
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
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]  # required by ModelViewSet; the policy closes the generic forms

    def get_urlpatterns(self):
        cancel = path("cancel/<int:pk>/", admin_views.cancel_for_leaver, name="cancel_for_leaver")
        return super().get_urlpatterns() + [cancel]


class EventIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.needs_attention and permissions.can_retry_events(self.request.user):
            url = reverse("payments_events:retry", args=[instance.pk])
            buttons.append(ListingMenuItem("Retry", url=url, icon_name="rotate", priority=5))
        return buttons


class StripeEventViewSet(ModelViewSet):
    model = StripeEvent
    icon = "warning"
    menu_label = "Stripe events"
    index_view_class = EventIndexView
    list_display = ["event_id", "type", "status", "attempts", "last_error", "received_at"]
    list_filter = ["status", "type"]
    search_fields = ["event_id"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]  # required by ModelViewSet; the policy closes the generic forms

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
