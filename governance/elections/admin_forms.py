"""Forms for the returning officer's back-office steps."""

import datetime

from django import forms
from django.utils import timezone

from config import rulebooks
from governance.bodies.models import Body
from governance.elections import guards, timetable
from governance.elections.models import Method
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].initial = rulebooks.current().elections.default_method

    def clean(self):
        """The seats and the timetable are checked here too, so each problem shows beside its field."""
        data = super().clean()
        if all(data.get(name) for name in ("body", "constituency", "seats")):
            problem = guards.seats_problem(data["body"], data["constituency"], data["seats"])
            if problem:
                self.add_error("constituency", problem)
        if data.get("close_of_poll_day"):
            problem = guards.timetable_problem(data["close_of_poll_day"], timezone.localdate())
            if problem:
                self.add_error("close_of_poll_day", problem)
        return data


class TrusteesForm(forms.Form):
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One email a line: each must be a user of this site. They are numbered in this order.",
    )
    threshold = forms.IntegerField(min_value=1, help_text="How many of them must take part to decrypt (k of n).")


class SeedForm(forms.Form):
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**63 - 1,  # kept with the step that counts (LongStep.seed) until the result records it
        help_text="Optional: a seed for ties by lot. Blank draws one at random.",
    )


class CountForm(SeedForm):
    key_file = forms.FileField(required=False, help_text="The key file you downloaded when the poll opened.")
    passphrase = forms.CharField(required=False, widget=forms.PasswordInput)
    field_order = ["key_file", "passphrase", "seed"]


class DecisionForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput)
    valid = forms.TypedChoiceField(choices=[("1", "Valid"), ("0", "Reject")], coerce=lambda v: v == "1")
    reason = forms.CharField(required=False, help_text="Required when rejecting: the candidate is told it.")


class ReissueForm(forms.Form):
    membership_number = forms.CharField(max_length=20)


class ScrutineerForm(forms.Form):
    email = forms.EmailField(help_text="A user who holds the Scrutineer role.")


class TimetableForm(forms.Form):
    """The draft election's timetable: each date as the returning officer sets it, or, with
    `recompute`, the whole timetable counted back again from a new close of poll."""

    DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
    notice_on = forms.DateField(label="Notice of election by", **DATE)
    nominations_close_on = forms.DateField(label="Nominations close", **DATE)
    statement_on = forms.DateField(label="Statement of candidates", **DATE)
    withdrawals_close_on = forms.DateField(label="Withdrawals close", **DATE)
    poll_notice_on = forms.DateField(label="Notice of poll; roll as at", **DATE)
    close_of_poll = forms.DateField(label="Close of poll", **DATE)

    @classmethod
    def for_election(cls, election, data=None):
        initial = {name: getattr(election, name) for name in cls.base_fields if name != "close_of_poll"}
        initial["close_of_poll"] = timezone.localdate(election.poll_closes_at)
        return cls(data, initial=initial, prefix="timetable")

    def dates(self, *, recompute):
        """The timetable fields to save: all of them counted back from the close of poll when
        recomputing, else the dates as entered with the poll closing at the rulebook's hour."""
        close_of_poll = self.cleaned_data["close_of_poll"]
        if recompute:
            return timetable.compute(close_of_poll).as_fields()
        closes_at = datetime.datetime.combine(close_of_poll, rulebooks.current().elections.poll_closes_at)
        dates = {name: self.cleaned_data[name] for name in self.base_fields if name != "close_of_poll"}
        return {**dates, "poll_closes_at": timezone.make_aware(closes_at)}


class PostbagForm(forms.Form):
    label = forms.CharField(
        max_length=100, help_text="A name for the bag, e.g. the day and delivery: 'Tue 3 June, first post'."
    )
    papers = forms.IntegerField(
        min_value=1, help_text="How many papers are in the bag. Number them 1, 2, 3 … before keying."
    )
    received_at = forms.DateTimeField(
        label="Received at",
        help_text="When the bag reached you. Papers in a bag received after the close of poll are refused as late.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    first_operator = forms.EmailField(help_text="The email of a user who holds the Postal operator role.")
    second_operator = forms.EmailField(help_text="Another one: each operator keys the whole bag, blind to the other.")
