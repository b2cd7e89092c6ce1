"""Back-office forms whose saving goes through the directory's services."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from partners.models import ENTRY_DETAILS, Enquiry, PartnerOrganisation, Proposal


class PartnerForm(WagtailAdminModelForm):
    checked_today = forms.BooleanField(
        required=False,
        label="I have checked these details with the organisation today",
        help_text="Marks the entry as verified today, by you. Entries not checked within the period are flagged.",
    )

    class Meta:
        model = PartnerOrganisation
        fields = ["slug", *ENTRY_DETAILS, "cqc_provider_id", "listed"]
        widgets = {"areas_of_interest": forms.CheckboxSelectMultiple, "localities": forms.CheckboxSelectMultiple}


class ModerationForm(WagtailAdminModelForm):
    """The proposal as sent, which the editor may correct, and their decision."""

    decision = forms.ChoiceField(
        choices=[("accept", "Accept and publish"), ("reject", "Reject")], widget=forms.RadioSelect
    )

    class Meta:
        model = Proposal
        fields = [*ENTRY_DETAILS, "cqc_provider_id", "decision_note"]
        widgets = {"areas_of_interest": forms.CheckboxSelectMultiple, "localities": forms.CheckboxSelectMultiple}


class AnswerForm(WagtailAdminModelForm):
    class Meta:
        model = Enquiry
        fields = ["answer"]
        help_texts = {"answer": "Sent to the enquirer by email and kept with the enquiry."}


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="The columns an export writes. All rows are imported, or none.")
