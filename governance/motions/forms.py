from django import forms

from config.forms import GovukFormMixin
from config.rulebooks import current as current_rulebook
from governance.motions.models import ResolutionKind, VoteChoice


class ResolutionForm(GovukFormMixin, forms.Form):
    """A resolution's words and kind, as a motion or a written resolution puts them."""

    title = forms.CharField(max_length=200, label="Short title", help_text="For example: Publish governors' attendance")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="The resolution",
        help_text="Write it as it would be recorded, beginning “That …”.",
    )
    kind = forms.ChoiceField(
        choices=ResolutionKind.choices,
        initial=ResolutionKind.ORDINARY,
        widget=forms.RadioSelect,
        label="Kind of resolution",
        help_text="A special resolution (for example, to change the constitution) needs a larger majority.",
    )


class MotionForm(ResolutionForm):
    meeting = forms.ModelChoiceField(queryset=None, label="General meeting", empty_label=None)
    field_order = ["meeting", "title", "text", "kind"]

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["text"].label = "The motion"


class VoteForm(GovukFormMixin, forms.Form):
    choice = forms.ChoiceField(
        choices=VoteChoice.choices,
        widget=forms.RadioSelect,
        label="How do you vote?",
        error_messages={"required": "Choose for, against or abstain."},
    )


class PaperVoteForm(VoteForm):
    membership_number = forms.CharField(max_length=20, label="Membership number on the voting paper")
    choice = forms.ChoiceField(
        choices=VoteChoice.choices,
        widget=forms.RadioSelect,
        label="The vote marked on the paper",
        error_messages={"required": "Choose for, against or abstain, as marked on the paper."},
    )


class RejectForm(GovukFormMixin, forms.Form):
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reasons for not admitting the motion",
        error_messages={"required": "Give the reasons; the proposer and supporters will read them."},
    )


class WrittenResolutionForm(ResolutionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = current_rulebook().motions
        self.fields["kind"].help_text = (
            f"Passed by more than {float(rules.ordinary_majority):.0%} of all eligible members (ordinary), "
            f"or at least {float(rules.special_majority):.0%} of them (special)."
        )


class ReplyForm(GovukFormMixin, forms.Form):
    agrees = forms.TypedChoiceField(
        choices=[("yes", "I agree to this resolution"), ("no", "I do not agree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Your reply",
        error_messages={"required": "Choose whether you agree. Your reply cannot be changed once sent."},
    )


class PaperReplyForm(ReplyForm):
    membership_number = forms.CharField(max_length=20, label="Membership number on the returned paper")


class DeclineForm(GovukFormMixin, forms.Form):
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reasons for not circulating it",
        help_text="Only if it would be ineffective, defamatory, frivolous or vexatious (CA 2006 s.292(2)).",
    )
