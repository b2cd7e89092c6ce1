"""Forms for the returning officer's back-office steps."""

from django import forms

from governance.bodies.models import Body
from governance.elections.models import Method
from governance.elections.sealing import MINIMUM_PASSPHRASE_LENGTH
from membership.models import Constituency


class SetUpForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.ModelChoiceField(Body.objects.all())
    constituency = forms.ModelChoiceField(Constituency.objects.all())
    seats = forms.IntegerField(min_value=1)
    method = forms.ChoiceField(choices=Method.choices)
    close_of_poll_day = forms.DateField(
        help_text="The timetable is counted back from this day in working days.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        widget=forms.PasswordInput,
        min_length=MINIMUM_PASSPHRASE_LENGTH,
        help_text="The key file you download is locked with this passphrase. Without both, the ballots "
        "can never be counted: keep them apart and safe.",
    )


class CountForm(forms.Form):
    key_file = forms.FileField(help_text="The key file you downloaded when the poll opened.")
    passphrase = forms.CharField(widget=forms.PasswordInput)
    seed = forms.IntegerField(required=False, help_text="Optional: a seed for ties by lot. Blank draws one at random.")


class DecisionForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    valid = forms.TypedChoiceField(choices=[("1", "Valid"), ("0", "Reject")], coerce=lambda v: v == "1")
    reason = forms.CharField(required=False, help_text="Required when rejecting: the candidate is told it.")


class ReissueForm(forms.Form):
    membership_number = forms.CharField(max_length=20)


class ScrutineerForm(forms.Form):
    email = forms.EmailField(help_text="A user who holds the Scrutineer role.")
