"""Forms of the membership office's own back-office screens (membership/admin_views.py) that the
public forms in membership/forms.py do not share."""

from django import forms

from membership.models import Constituency

# A choice's value: the constituency's id and the class within it, e.g. "3:Nursing" or "5:".
SEPARATOR = ":"


def destinations(current):
    """Every constituency and class a member could be moved to, each once, leaving out the one
    they are in (`current`, a Membership or None): (value, label) pairs for a select."""
    choices = []
    for constituency in Constituency.objects.order_by("name"):
        for member_class in constituency.classes or [""]:
            if current and current.constituency_id == constituency.pk and current.member_class == member_class:
                continue
            label = f"{constituency.name}: {member_class}" if member_class else constituency.name
            choices.append((f"{constituency.pk}{SEPARATOR}{member_class}", label))
    return choices


class TransferForm(forms.Form):
    destination = forms.ChoiceField(
        label="Move them to",
        help_text="The constituency (and class, where it has classes) they belong to from today.",
    )
    reason = forms.CharField(
        label="Why they are moving",
        help_text="For example: moved house to the southern area; began working for the trust. Kept in the record.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Say why they are moving; the reason is kept in the governance record."},
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", "Choose a constituency"), *destinations(current)]
        self.fields["destination"].error_messages["required"] = "Choose the constituency to move them to."

    def clean_destination(self):
        pk, member_class = self.cleaned_data["destination"].split(SEPARATOR, 1)
        constituency = Constituency.objects.filter(pk=pk).first()
        if constituency is None:
            raise forms.ValidationError("That constituency no longer exists; choose another.")
        return constituency, member_class
