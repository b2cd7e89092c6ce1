"""Public forms: the nomination, the voting code and the ballot paper."""

from django import forms
from django.core.exceptions import ValidationError

from config import rulebooks
from config.forms import GovukFormMixin, check_photo
from governance.elections import credentials
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

    def clean_photo(self):
        return check_photo(self.cleaned_data.get("photo"), self.rules.photo_max_bytes)


class CredentialForm(GovukFormMixin, forms.Form):
    credential = forms.CharField(
        label="Your voting code",
        help_text="It is in your letter or email, for example ABCD-EFGH-JKLM-NPQR.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A verifiable election's code is a Belenios credential: capitals and small letters differ.
        self.verifiable = election is not None and election.is_verifiable
        if self.verifiable:
            field = self.fields["credential"]
            field.help_text = (
                "It is in your letter or email. It looks like this: dWQ-3oJ-vkW-1mS-YyY. Type each letter just as it "
                "is: a big A is not the same as a small a."
            )
            field.widget.attrs["autocapitalize"] = "none"

    def clean_credential(self):
        if self.verifiable:
            code = credentials.normalise_belenios(self.cleaned_data["credential"])
            if code is None:
                raise ValidationError(
                    "Enter your voting code as in your letter or email: 15 letters and numbers in groups of three, "
                    "capitals and small letters as printed"
                )
            return code
        code = credentials.normalise(self.cleaned_data["credential"])
        if len(code.replace("-", "")) != credentials.GROUPS * credentials.GROUP_LENGTH:
            raise ValidationError("Enter your voting code: 16 letters and numbers, as in your letter or email")
        return code


ORDINALS = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else ORDINALS.get(n % 10, "th")
    return f"{n}{suffix}"


def number_of_candidates(n):
    return "one candidate" if n == 1 else f"{n} candidates"


class BallotForm(GovukFormMixin, forms.Form):
    """The ballot paper. FPTP: a checkbox per candidate, up to the number of seats. STV: a
    select per candidate giving its preference (1st, 2nd, …), or no preference.

    Every error is put on the control it is about, so the error summary links to that very
    select or checkbox; an error about the ranking as a whole (no choice at all) links to the
    first select (`non_field_anchor`)."""

    def __init__(self, *args, election, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.election, self.candidates = election, candidates
        self.names = {n.pk: candidate_name(n, candidates) for n in candidates}
        self.ranked = election.ranked
        if self.ranked:
            options = [("", "No preference")] + [
                (str(n), f"{ordinal(n)} choice") for n in range(1, len(candidates) + 1)
            ]
            for nomination in candidates:
                self.fields[f"rank_{nomination.pk}"] = forms.ChoiceField(
                    label=self.names[nomination.pk], choices=options, required=False
                )
        else:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=self.fptp_legend(),
                choices=[(str(n.pk), self.names[n.pk]) for n in candidates],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose at least one candidate: tick the box beside their name"},
            )

    def fptp_legend(self):
        seats = self.election.seats
        return "Vote for one candidate" if seats == 1 else f"Vote for up to {seats} candidates"

    def rank_fields(self):
        return [self[f"rank_{n.pk}"] for n in self.candidates]

    @property
    def non_field_anchor(self):
        """Where the summary link for an error about the whole ballot takes the voter."""
        fields = self.rank_fields() if self.ranked else [self["choice"]]
        return fields[0].anchor if fields else ""

    def clean(self):
        cleaned = super().clean()
        if not self.ranked:
            chosen = len(cleaned.get("choice", []))
            if chosen > self.election.seats:
                self.add_error(
                    "choice",
                    f"You ticked {chosen} candidates: choose no more than {self.election.seats}, "
                    "or untick the ones you do not want",
                )
            return cleaned
        ranks = {n.pk: int(cleaned[f"rank_{n.pk}"]) for n in self.candidates if cleaned.get(f"rank_{n.pk}")}
        given = sorted(ranks.values())
        if not given:
            self.add_error(None, "Give a 1st choice to the candidate you most want elected")
            return cleaned
        for pk, rank in ranks.items():
            if given.count(rank) > 1:
                self.add_error(
                    f"rank_{pk}",
                    f"{self.names[pk]}: you gave {ordinal(rank)} choice to more than one candidate. "
                    "Give each choice to one candidate only",
                )
        if self.errors:
            return cleaned
        missing = next((n for n in range(1, len(given) + 1) if n not in given), None)
        if missing is not None:
            after = min(rank for rank in given if rank > missing)
            pk = next(pk for pk, rank in ranks.items() if rank == after)
            self.add_error(
                f"rank_{pk}",
                f"{self.names[pk]}: your choices skip the {ordinal(missing)}. Change this {ordinal(after)} "
                f"choice to {ordinal(missing)}, or give another candidate your {ordinal(missing)} choice",
            )
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
        chosen = self.choices()
        if not self.ranked:
            return [("Vote", self.names[pk]) for pk in chosen]
        return [(f"{ordinal(i)} choice", self.names[pk]) for i, pk in enumerate(chosen, start=1)]

    def in_words(self):
        """The vote read back as sentences, for the review page: what a voter would say aloud."""
        chosen = self.choices()
        left = [self.names[n.pk] for n in self.candidates if n.pk not in chosen]
        if not self.ranked:
            sentences = [f"You are voting for {_and_list([self.names[pk] for pk in chosen])}."]
            if len(chosen) < self.election.seats:
                sentences.append(f"You could vote for up to {number_of_candidates(self.election.seats)}.")
            return sentences
        sentences = [f"Your 1st choice is {self.names[chosen[0]]}."]
        if len(chosen) > 1:
            then = [f"{self.names[pk]} {ordinal(i)}" for i, pk in enumerate(chosen[1:], start=2)]
            sentences.append(f"Then you put {_and_list(then)}.")
        if left:
            sentences.append(
                f"You gave no choice to {_and_list(left)}: your vote will not pass to "
                f"{'them' if len(left) > 1 else 'that candidate'}."
            )
        return sentences


def _and_list(items):
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


class ReceiptForm(GovukFormMixin, forms.Form):
    """A receipt to look for in the box: 64 letters and numbers, spaces and capitals ignored."""

    receipt = forms.CharField(
        label="Your receipt",
        help_text="The 64 letters and numbers you were shown after you voted, for example 3f9a…",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": "Enter your receipt"},
    )

    def clean_receipt(self):
        receipt = "".join(self.cleaned_data["receipt"].split()).lower()
        if len(receipt) != 64 or any(c not in "0123456789abcdef" for c in receipt):
            raise ValidationError(
                "Enter your receipt as it was shown: 64 letters and numbers. The letters are a to f only"
            )
        return receipt
