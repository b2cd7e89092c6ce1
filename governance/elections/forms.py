"""Public forms: the nomination, the voting code and the ballot paper."""

from django import forms
from django.core.exceptions import ValidationError

from config import rulebooks
from config.forms import GovukFormMixin, check_photo
from governance.elections import credentials
from governance.elections.models import Method
from governance.elections.selectors import candidate_name


class NominationForm(GovukFormMixin, forms.Form):
    statement = forms.CharField(
        label="Your statement",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Why electors should choose you. It is printed with the statement of candidates.",
    )
    photo = forms.ImageField(label="A photograph of you (optional)", required=False)
    interests = forms.CharField(
        label="Interests you declare (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example directorships, or a contract with the organisation. Leave blank if none.",
    )
    declares_eligible = forms.BooleanField(
        label="I declare that I am eligible to stand and am not disqualified by the constitution",
        error_messages={"required": "Declare that you are eligible to stand"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rulebooks.current().elections
        self.fields["statement"].help_text += f" At most {self.rules.statement_word_limit} words."
        self.fields[
            "photo"
        ].help_text = f"A JPEG, PNG or WebP image up to {self.rules.photo_max_bytes // (1024 * 1024)} MB."

    def clean_statement(self):
        statement = self.cleaned_data["statement"]
        words = len(statement.split())
        if words > self.rules.statement_word_limit:
            raise ValidationError(
                f"Your statement has {words} words; shorten it to {self.rules.statement_word_limit} words or fewer"
            )
        return statement

    def clean_photo(self):
        return check_photo(self.cleaned_data.get("photo"), self.rules.photo_max_bytes)


class CredentialForm(GovukFormMixin, forms.Form):
    credential = forms.CharField(
        label="Your voting code",
        help_text="It is in your letter or email, for example ABCD-EFGH-JKLM-NPQR.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_credential(self):
        code = credentials.normalise(self.cleaned_data["credential"])
        if len(code.replace("-", "")) != credentials.GROUPS * credentials.GROUP_LENGTH:
            raise ValidationError("Enter your voting code: 16 letters and numbers, as in your letter or email")
        return code


ORDINALS = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else ORDINALS.get(n % 10, "th")
    return f"{n}{suffix}"


class BallotForm(GovukFormMixin, forms.Form):
    """The ballot paper. FPTP: a checkbox per candidate, up to the number of seats. STV: a
    select per candidate giving its preference (1st, 2nd, …), or no preference."""

    def __init__(self, *args, election, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.election, self.candidates = election, candidates
        self.ranked = election.method != Method.FPTP
        if self.ranked:
            options = [("", "No preference")] + [
                (str(n), f"{ordinal(n)} choice") for n in range(1, len(candidates) + 1)
            ]
            for nomination in candidates:
                self.fields[f"rank_{nomination.pk}"] = forms.ChoiceField(
                    label=candidate_name(nomination, candidates), choices=options, required=False
                )
        else:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=f"Vote for up to {election.seats} candidate(s)",
                choices=[(str(n.pk), candidate_name(n, candidates)) for n in candidates],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose at least one candidate"},
            )

    def rank_fields(self):
        return [self[f"rank_{n.pk}"] for n in self.candidates]

    def clean(self):
        cleaned = super().clean()
        if not self.ranked:
            if len(cleaned.get("choice", [])) > self.election.seats:
                self.add_error("choice", f"Choose no more than {self.election.seats} candidate(s)")
            return cleaned
        ranks = {n.pk: int(cleaned[f"rank_{n.pk}"]) for n in self.candidates if cleaned.get(f"rank_{n.pk}")}
        given = sorted(ranks.values())
        if not given:
            first = f"rank_{self.candidates[0].pk}"
            self.add_error(first, "Give at least a 1st choice")
            return cleaned
        for nomination in self.candidates:
            rank = ranks.get(nomination.pk)
            if rank is not None and given.count(rank) > 1:
                self.add_error(f"rank_{nomination.pk}", f"You gave {ordinal(rank)} choice to more than one candidate")
        expected = list(range(1, len(given) + 1))
        if not self.errors and given != expected:
            missing = next(n for n in expected if n not in given)
            self.add_error(None, f"Your choices skip the {ordinal(missing)}: number them 1st, 2nd, 3rd… without gaps")
        return cleaned

    def choices(self):
        """The nomination ids in order of preference (FPTP: the marked candidates)."""
        if not self.ranked:
            return [int(pk) for pk in self.cleaned_data["choice"]]
        ranks = {
            n.pk: int(self.cleaned_data[f"rank_{n.pk}"])
            for n in self.candidates
            if self.cleaned_data.get(f"rank_{n.pk}")
        }
        return sorted(ranks, key=ranks.get)

    def summary(self):
        """(preference label, candidate name) in order, for the review page."""
        names = {n.pk: candidate_name(n, self.candidates) for n in self.candidates}
        chosen = self.choices()
        if not self.ranked:
            return [("Vote", names[pk]) for pk in chosen]
        return [(f"{ordinal(i)} choice", names[pk]) for i, pk in enumerate(chosen, start=1)]
