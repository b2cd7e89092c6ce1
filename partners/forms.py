from django import forms

from config.forms import GovukFormMixin, QuickSelect, ShortListChoiceField
from partners.models import (
    ENTRY_DETAILS,
    AreaOfInterest,
    Enquiry,
    Locality,
    OrganisationType,
    Postcode,
    Proposal,
    normalise_postcode,
)
from partners.vocabulary import vocabulary

RADIUS_CHOICES = [("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles"), ("10", "10 miles"), ("25", "25 miles")]


class DirectorySearchForm(GovukFormMixin, forms.Form):
    """The public search: every filter optional, read from the query string (`q`, `postcode`,
    `within`, `interest`, `locality`, `type`) so a search can be bookmarked and shared."""

    q = forms.CharField(
        label="What are you looking for?",
        help_text="A need, service or name, for example: frailty, falls, adolescent mental health.",
        required=False,
        max_length=100,
    )
    postcode = forms.CharField(
        label="Near a postcode",
        help_text="Nearest first, with the organisations working in that area.",
        required=False,
        max_length=10,
    )
    within = forms.TypedChoiceField(
        label="Within",
        required=False,
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=10,
        initial="10",
        widget=QuickSelect,
    )
    interest = ShortListChoiceField(
        AreaOfInterest.objects.all(),
        rows=lambda: vocabulary().areas,
        label="Area of interest",
        required=False,
        to_field_name="slug",
        empty_label="Any area of interest",
        widget=QuickSelect,
    )
    locality = ShortListChoiceField(
        Locality.objects.all(),
        rows=lambda: vocabulary().localities,
        label="Locality",
        required=False,
        to_field_name="slug",
        empty_label="Anywhere",
        widget=QuickSelect,
    )
    type = forms.ChoiceField(
        label="Type of organisation",
        required=False,
        choices=[("", "Any type"), *OrganisationType.choices],
        widget=QuickSelect,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("within"):
            data = data.copy()
            data["within"] = "10"  # shown chosen, so a search that did not set it keeps the default
        super().__init__(data, *args, **kwargs)

    def clean_postcode(self):
        text = self.cleaned_data["postcode"].strip()
        if not text:
            return ""
        postcode = normalise_postcode(text)
        if postcode is None:
            raise forms.ValidationError("Enter a full UK postcode, like EB1 2AB.")
        # Kept for the search, which needs it next.
        self.centre = Postcode.objects.filter(postcode=postcode).values_list("latitude", "longitude").first()
        if self.centre is None:
            raise forms.ValidationError(
                f"We do not know the postcode {postcode}. Check it, or choose a locality instead."
            )
        return postcode


class ProposalForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [*ENTRY_DETAILS, "proposer_name", "proposer_email"]
        labels = {
            "name": "Name of the organisation",
            "organisation_type": "Type of organisation",
            "areas_of_interest": "Areas of interest",
            "contact_name": "Contact person (optional)",
            "email": "Public contact email (optional)",
            "phone": "Public contact phone (optional)",
            "website": "Website (optional)",
            "address": "Address (optional)",
            "postcode": "Postcode (optional)",
            "proposer_name": "Your name",
            "proposer_email": "Your email address",
        }
        help_texts = {
            "proposer_email": "We write to you here when an editor has looked at your proposal. It is not published.",
            "website": "Starting https://",
        }
        widgets = {
            "organisation_type": forms.RadioSelect,
            "areas_of_interest": forms.CheckboxSelectMultiple,
            "localities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "proposer_email" in self.fields:
            self.fields["proposer_email"].required = True  # the model allows none only for the register import

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation_type") == OrganisationType.UNINCORPORATED and cleaned.get("registration_number"):
            self.add_error("registration_number", "An unincorporated group has no registration number; leave it empty.")
        return cleaned


class EnquiryForm(GovukFormMixin, forms.ModelForm):
    route = forms.BooleanField(
        label="Also send my question to the locality's council for voluntary service",
        help_text="It supports the voluntary groups there, and knows many the directory does not. "
        "It answers you itself.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = getattr(self.initial.get("locality"), "infrastructure_body", None)
        if body is not None:
            self.fields["route"].label = f"Also send my question to {body}"
            self.fields["route"].help_text = (
                f"{body.description or 'It supports the voluntary groups there'}, and knows many groups the "
                "directory does not. It answers you itself."
            )

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("locality")
        if cleaned.get("route") and (place is None or place.infrastructure_body_id is None):
            self.add_error(
                "route",
                "Choose a locality that has a council for voluntary service, or untick sending it there.",
            )
        return cleaned

    class Meta:
        model = Enquiry
        fields = ["area_of_interest", "locality", "question", "name", "email", "organisation"]
        labels = {
            "area_of_interest": "Area of interest (optional)",
            "locality": "Locality (optional)",
            "question": "What are you looking for?",
            "organisation": "Your organisation or team (optional)",
        }
        help_texts = {
            "question": "For example: who runs peer support for carers of people with dementia in Eastbrook?",
            "email": "We send the answer here.",
        }


class EntryUpdateForm(ProposalForm):
    """The organisation's own corrections, through its emailed link: the entry's details, no proposer."""

    class Meta(ProposalForm.Meta):
        fields = [*ENTRY_DETAILS, "cqc_provider_id"]
        labels = {**ProposalForm.Meta.labels, "cqc_provider_id": "CQC provider ID (optional)"}
        help_texts = {
            **ProposalForm.Meta.help_texts,
            "cqc_provider_id": "Only if you provide care the Care Quality Commission registers, e.g. 1-101234567.",
        }
