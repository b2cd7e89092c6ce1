from django import forms

from config.forms import GovukFormMixin


class ConstituencyMessageForm(GovukFormMixin, forms.Form):
    tenure = forms.ModelChoiceField(queryset=None, label="Write as", empty_label=None)
    subject = forms.CharField(max_length=150)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label="Message")

    def __init__(self, *args, tenures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenure"].queryset = tenures
        self.fields["tenure"].label_from_instance = lambda tenure: f"{tenure.seat.name} ({tenure.seat.constituency})"


class QuestionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your question to your governors",
        help_text="Your governors may publish their answer; your name is never published.",
        error_messages={"required": "Write your question."},
    )


class AnswerForm(GovukFormMixin, forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Your answer")
    publish = forms.BooleanField(required=False, label="Publish the question and answer")
