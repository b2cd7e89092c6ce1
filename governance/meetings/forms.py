import re

from django import forms
from django.core.exceptions import ValidationError

from config.forms import GovukFormMixin
from governance.meetings.models import PaperVisibility
from governance.meetings.services import check_pdf
from membership.models import Member


class PaperForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=250)
    agenda_item = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not on the agenda")
    visibility = forms.ChoiceField(
        choices=PaperVisibility.choices,
        widget=forms.RadioSelect,
        label="Who may read it once published",
    )
    file = forms.FileField(label="The paper, as a PDF", widget=forms.FileInput(attrs={"accept": "application/pdf"}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload.read()
        try:
            check_pdf(content)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        self.content = content
        return upload


class AttendanceForm(GovukFormMixin, forms.Form):
    """Who was present: the body's office holders by ticking, anyone else (members at a general
    meeting, or visitors) by membership number."""

    holders = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Present")
    remote = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Of those, joined remotely"
    )
    others = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false"}),
        label="Members present, by membership number",
        help_text="One per line, or separated by commas or spaces.",
    )

    def __init__(self, *args, meeting, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holders"].label = f"Members of {meeting.body} present"
        self.fields[
            "holders"
        ].help_text = f"Those holding a seat on {meeting.starts_at:%-d %B %Y}. They count towards the quorum."
        self.fields["remote"].help_text = "By video or telephone. Leave everyone unticked if all were in the room."
        self.holders = {str(tenure.holder.pk): tenure for tenure in holders}
        choices = [(pk, f"{t.holder.full_name}, {t.seat}") for pk, t in self.holders.items()]
        self.fields["holders"].choices = choices
        self.fields["remote"].choices = choices

    def clean_others(self):
        numbers = [n.upper() for n in re.split(r"[\s,;]+", self.cleaned_data["others"]) if n]
        found = {m.membership_number.upper(): m for m in Member.objects.filter(membership_number__in=numbers)}
        if unknown := [n for n in numbers if n not in found]:
            raise ValidationError(f"We have no member numbered {', '.join(dict.fromkeys(unknown))}. Check the numbers.")
        return list(found.values())

    def present(self):
        """(everyone present, those who joined remotely) as members."""
        holders = [self.holders[pk].holder for pk in self.cleaned_data["holders"]]
        remote = [self.holders[pk].holder for pk in self.cleaned_data["remote"] if pk in self.cleaned_data["holders"]]
        return holders + self.cleaned_data["others"], remote
