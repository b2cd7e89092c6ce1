"""The census questions as a person answers them, on the join form and on a member's details
page: each optional, each with Prefer not to say (census_categories), and kept only if the person
agrees (UK GDPR Art.9(2)(a), `membership.census_answers`)."""

from django import forms

from config.forms import GovukFormMixin
from membership import census_categories
from membership.models import CensusAnswers

WHO_SEES_THEM = (
    "Only you and the membership office can see your answers. We only use them to see if our members are like "
    "the people we serve. We never publish a number so small that it could point to you."
)
NO_CONSENT = "Tick the box to agree, or leave these questions unanswered"


class CensusQuestions(forms.Form):
    """The questions and the consent, for a form to build on; `census()` gives what was answered."""

    sex = forms.ChoiceField(required=False, label="What is your sex? (optional)")
    ethnic_group = forms.ChoiceField(required=False, label="What is your ethnic group? (optional)")
    disability = forms.ChoiceField(
        required=False,
        label="Are you disabled? (optional)",
        help_text=(
            "That is, do you have a health problem or illness that has lasted, or will last, a year or more? And does "
            "it make everyday things harder for you? This is what the Equality Act means by disabled."
        ),
    )
    unpaid_care = forms.ChoiceField(
        required=False,
        label="Do you look after anyone, or help them, because of their long-term health or age? (optional)",
        help_text="Do not count what you do in your paid work.",
    )
    consent = forms.BooleanField(required=False, label="I agree to you keeping these answers about me")

    QUESTIONS = CensusAnswers.TOPICS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for topic in self.QUESTIONS:
            self.fields[topic].choices = [("", census_categories.NOT_ANSWERED), *census_categories.form_choices(topic)]

    def clean(self):
        data = super().clean()
        if any(data.get(topic) for topic in self.QUESTIONS) and not data.get("consent"):
            self.add_error("consent", NO_CONSENT)
        return data

    def answers(self):
        return {topic: self.cleaned_data[topic] for topic in self.QUESTIONS}


class CensusAnswersForm(GovukFormMixin, CensusQuestions):
    """A member's own answers, on their details page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = f"{WHO_SEES_THEM} Untick to have them deleted."
