from decimal import Decimal, InvalidOperation

from django import forms

from config.forms import GovukFormMixin
from membership.models import Application, ApplicationStatus, Member
from payments.models import PaymentKind, PaymentMethod
from payments.money import format_pence
from payments.services import MANUAL_METHODS


def pence_from_pounds(text):
    """'12.50' or '£12.5' → 1250 pence, exactly (no floats); ValidationError for anything else."""
    cleaned = text.strip().replace("£", "").replace(",", "")
    try:
        pounds = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError("Enter an amount in pounds, like 5 or 12.50.") from None
    if pounds <= 0 or pounds != pounds.quantize(Decimal("0.01")):
        raise forms.ValidationError("Enter an amount in pounds and pence, more than £0, like 5 or 12.50.")
    return int(pounds * 100)


class AmountField(forms.CharField):
    def clean(self, value):
        return pence_from_pounds(super().clean(value))


class DonationForm(GovukFormMixin, forms.Form):
    amount = AmountField(label="How much would you like to give, in pounds?", max_length=12)

    def __init__(self, *args, minimum_pence, **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum_pence = minimum_pence

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < self.minimum_pence:
            raise forms.ValidationError(
                f"The smallest donation we can take by card is {format_pence(self.minimum_pence)}."
            )
        return amount


class ManualPaymentForm(forms.Form):
    """The membership officer's record of money taken by hand."""

    payer = forms.CharField(
        label="Membership number or application reference",
        help_text="The member's number (on their letters), or the reference of an application awaiting payment.",
    )
    kind = forms.ChoiceField(label="What it was for", choices=[c for c in PaymentKind.choices if c[0] != "refund"])
    method = forms.ChoiceField(label="How it was paid", choices=[(m.value, m.label) for m in MANUAL_METHODS])
    amount = AmountField(label="Amount received, in pounds", max_length=12)
    received_on = forms.DateField(label="Date received", help_text="For example 2026-11-24.")
    reference = forms.CharField(label="Cheque number, bank reference or receipt (optional)", required=False)

    def clean_payer(self):
        text = self.cleaned_data["payer"].strip()
        member = Member.objects.filter(membership_number__iexact=text).first()
        if member is not None:
            return {"member": member}
        application = Application.objects.filter(reference=text).first()
        if application is None:
            raise forms.ValidationError(f"No member has the number {text!r} and no application has that reference.")
        if application.status != ApplicationStatus.AWAITING_PAYMENT:
            raise forms.ValidationError(
                f"Application {text} is {application.get_status_display().lower()}, not awaiting payment."
            )
        return {"application": application}


class ShareWithdrawalForm(forms.Form):
    refund_method = forms.ChoiceField(
        label="How the share's value is refunded",
        choices=[(PaymentMethod.STRIPE.value, "To the card it was paid with (Stripe)")]
        + [(m.value, m.label) for m in MANUAL_METHODS],
    )
    on = forms.DateField(label="Date withdrawn", help_text="For example 2026-11-24.")
    reference = forms.CharField(label="Cheque number or bank reference of the refund (optional)", required=False)


class ReconcileForm(forms.Form):
    since = forms.DateField(label="Compare payments since", required=False, help_text="For example 2026-01-01.")
