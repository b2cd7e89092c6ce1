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


def _tenure_label(tenure):
    return f"{tenure.seat.name} ({tenure.seat.constituency})"


class ReportBackForm(GovukFormMixin, forms.Form):
    tenure = forms.ModelChoiceField(queryset=None, label="Report back as", empty_label=None)
    title = forms.CharField(max_length=150, error_messages={"required": "Give the report a title."})
    raised = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="You said: what members raised",
        error_messages={"required": "Say what members raised."},
    )
    done = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="We did: what the board did with it",
        error_messages={"required": "Say what the board did with it."},
    )
    questions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="The members' questions it answers",
        help_text="Only published questions are shown with the report; the others are counted.",
    )
    decisions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="The board's decisions, as entered in the governance record",
    )

    def __init__(self, *args, tenures, questions, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenure"].queryset = tenures
        self.fields["tenure"].label_from_instance = _tenure_label
        self.fields["questions"].queryset = questions
        self.fields["questions"].label_from_instance = lambda question: (
            f"Asked {question.asked_at:%-d %B %Y}: {question.text[:120]}"
        )
        self.fields["decisions"].queryset = decisions
        self.fields["decisions"].label_from_instance = lambda entry: f"{entry.summary} (record entry #{entry.sequence})"


class ConstituencyMeetingForm(GovukFormMixin, forms.Form):
    tenure = forms.ModelChoiceField(queryset=None, label="Your seat", empty_label=None)
    title = forms.CharField(
        max_length=150,
        label="What the meeting was",
        help_text="For example, Members' evening at Northfield library.",
        error_messages={"required": "Say what the meeting was."},
    )
    held_on = forms.DateField(
        label="Date held",
        help_text="For example, 27 3 2026 or 2026-03-27.",
        input_formats=["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"required": "Enter the date it was held.", "invalid": "Enter the date as 27 3 2026."},
    )
    members_attending = forms.IntegerField(
        min_value=0,
        label="How many members came",
        error_messages={"required": "Enter how many members came, 0 if none."},
    )
    governors = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other governors who were there",
    )

    def __init__(self, *args, tenures, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenure"].queryset = tenures
        self.fields["tenure"].label_from_instance = _tenure_label
        self.fields["governors"].queryset = colleagues
        self.fields["governors"].label_from_instance = lambda tenure: f"{tenure.holder.full_name}, {tenure.seat.name}"
