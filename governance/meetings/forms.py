from django import forms
from django.core.exceptions import ValidationError

from config.forms import GovukFormMixin
from governance.meetings.models import PaperVisibility
from governance.meetings.services import check_pdf


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
