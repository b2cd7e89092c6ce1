import datetime

from django import forms
from django.contrib.auth import get_user_model, password_validation

from config import rulebooks
from config.forms import GovukFormMixin
from membership.census_forms import WHO_SEES_THEM, CensusQuestions
from membership.eligibility import applicant_eligibility, public_constituency_for
from membership.models import Constituency, ConstituencyKind, LawfulBasis
from membership.services import APPLICANT_FIELDS

PUBLIC_CHOICE = "public"


def service_user_declaration():
    years = rulebooks.current().membership.service_user_lookback_years
    return f"I have used this organisation's services in the last {years} years."


CARER_DECLARATION = "I am an unpaid carer for someone who has used this organisation's services."


def joinable_constituencies():
    """What an applicant may choose: one 'public' choice (the constituency follows from the
    postcode), then each other constituency taking applications. Staff join through HR records."""
    constituencies = list(Constituency.objects.filter(accepting_applications=True).exclude(kind=ConstituencyKind.STAFF))
    choices = []
    if any(c.kind == ConstituencyKind.PUBLIC for c in constituencies):
        choices.append((PUBLIC_CHOICE, "Public: I live in one of the areas above"))
    choices += [(c.slug, c.name) for c in constituencies if c.kind != ConstituencyKind.PUBLIC]
    return constituencies, choices


def date_part_messages(part):
    """Messages for one box of the date of birth that say which box is wrong."""
    return {
        "required": f"Date of birth must include a {part}",
        "invalid": f"Date of birth: the {part} must be a number",
        "min_value": f"Date of birth: the {part} must be %(limit_value)s or more",
        "max_value": f"Date of birth: the {part} must be %(limit_value)s or less",
    }


class JoinForm(GovukFormMixin, CensusQuestions):
    """The join form: the required questions, then the optional census questions (CensusQuestions)
    just before the applicant confirms that what they gave is true."""

    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")
    dob_day = forms.IntegerField(label="Day", min_value=1, max_value=31, error_messages=date_part_messages("day"))
    dob_month = forms.IntegerField(label="Month", min_value=1, max_value=12, error_messages=date_part_messages("month"))
    dob_year = forms.IntegerField(label="Year", min_value=1900, error_messages=date_part_messages("year"))
    address_line_1 = forms.CharField(max_length=200, label="Address line 1")
    address_line_2 = forms.CharField(max_length=200, required=False, label="Address line 2 (optional)")
    town = forms.CharField(max_length=100, required=False, label="Town or city (optional)")
    postcode = forms.CharField(
        max_length=10, label="Postcode", widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    email = forms.EmailField(
        required=False,
        label="Email address (optional)",
        help_text="We send a link to confirm it. Without one, we write to you by post.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        max_length=30,
        required=False,
        label="Phone number (optional)",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    joining_as = forms.ChoiceField(
        label="Which group are you joining?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the group you are joining"},
    )
    declaration = forms.BooleanField(required=False, label="What I say above is true for the group I chose")
    post_only = forms.BooleanField(required=False, label="Send me everything by post")
    large_print = forms.BooleanField(required=False, label="I would like large print")
    easy_read = forms.BooleanField(required=False, label="I would like easy read versions")
    withheld_from_public_register = forms.BooleanField(
        required=False, label="Do not show my name when people look at the list of members"
    )
    accurate = forms.BooleanField(
        label="The information I have given is true",
        error_messages={"required": "Confirm that the information you have given is true"},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or datetime.date.today()
        self.constituencies, self.fields["joining_as"].choices = joinable_constituencies()
        self.fields["dob_year"].max_value = self.today.year
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        for part in ("dob_day", "dob_month"):
            self.fields[part].widget.attrs["class"] = "govuk-input govuk-date-input__input govuk-input--width-2"
        self.fields["dob_year"].widget.attrs["class"] = "govuk-input govuk-date-input__input govuk-input--width-4"
        for name in ("dob_day", "dob_month", "dob_year"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.declarations = {
            ConstituencyKind.SERVICE_USER: service_user_declaration(),
            ConstituencyKind.CARER: CARER_DECLARATION,
        }
        self.fields["consent"].help_text = (
            f"{WHO_SEES_THEM} Once you are a member, you can change or delete them on your details page. Or ask the "
            "membership office."
        )
        self._ask_the_census_questions_last()

    def _ask_the_census_questions_last(self):
        census = [*CensusQuestions.base_fields]
        rest = [name for name in self.fields if name not in census]
        at = rest.index("accurate")
        self.order_fields([*rest[:at], *census, *rest[at:]])

    def clean(self):
        data = super().clean()
        if {"dob_day", "dob_month", "dob_year"} <= set(data):
            try:
                data["date_of_birth"] = datetime.date(data["dob_year"], data["dob_month"], data["dob_day"])
            except ValueError:
                self.add_error("dob_day", "Date of birth must be a real date")
                return data
            if data["date_of_birth"] > self.today:
                self.add_error("dob_day", "Date of birth must be in the past")
                return data
        if data.get("post_only") and not data.get("address_line_1"):
            self.add_error("address_line_1", "Enter your address so we can write to you")
        if "joining_as" in data and "postcode" in data and "date_of_birth" in data:
            self._decide_constituency(data)
        return data

    def _decide_constituency(self, data):
        if data["joining_as"] == PUBLIC_CHOICE:
            constituency = public_constituency_for(data["postcode"], self.constituencies)
            if constituency is None:
                self.add_error("postcode", "Your postcode is not in our area, so you cannot join as a public member")
                return
        else:
            constituency = next(c for c in self.constituencies if c.slug == data["joining_as"])
        declaration = self.declarations.get(constituency.kind)
        if declaration and not data.get("declaration"):
            self.add_error("declaration", f"To join the {constituency} constituency, tick to declare: {declaration}")
            return
        eligibility = applicant_eligibility(
            constituency,
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            declared=bool(declaration),
            on=self.today,
        )
        for reason in eligibility.reasons:
            self.add_error(None, reason)
        data["constituency"] = constituency
        data["declarations"] = [declaration] if declaration else []

    def application(self):
        """The valid form as the arguments of `membership.services.apply`."""
        data = self.cleaned_data
        details = {name: data.get(name, "") for name in APPLICANT_FIELDS}
        census = {"census_answers": self.answers(), "census_consent": data["consent"]}
        return {"constituency": data["constituency"], "declarations": data["declarations"], **census, **details}


class MemberDetailsForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(required=False, label="Email address")
    phone = forms.CharField(max_length=30, required=False, label="Phone number")
    address_line_1 = forms.CharField(max_length=200, label="Address line 1")
    address_line_2 = forms.CharField(max_length=200, required=False, label="Address line 2 (optional)")
    town = forms.CharField(max_length=100, required=False, label="Town or city (optional)")
    postcode = forms.CharField(max_length=10, label="Postcode")
    post_only = forms.BooleanField(required=False, label="Send me everything by post")
    large_print = forms.BooleanField(required=False, label="I would like large print")
    easy_read = forms.BooleanField(required=False, label="I would like easy read versions")
    withheld_from_public_register = forms.BooleanField(
        required=False, label="Do not show my name when people look at the list of members"
    )


class LeaveForm(GovukFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I want to stop being a member",
        error_messages={"required": "Tick the box to confirm you want to stop being a member"},
    )


class OpenAccountForm(GovukFormMixin, forms.Form):
    """A password for the account a person opens when they confirm the email address they joined with."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 10 characters. A few unrelated words make a strong one.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match: type the same password twice")
        elif first:
            person = get_user_model()(
                email=self.application.email,
                first_name=self.application.first_name,
                last_name=self.application.last_name,
            )
            try:
                password_validation.validate_password(first, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class InspectionRequestForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        max_length=200, label="Your full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We send our answer, and the link to inspect the register, here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        max_length=200,
        required=False,
        label="Organisation (optional)",
        help_text="If you ask on behalf of an organisation, its name.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    purpose = forms.CharField(
        label="Why do you want to inspect the register?",
        error_messages={"required": "Tell us why you want to see the register"},
        help_text="The purpose you will use the information for, and whether you will share it with anyone else.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    declaration = forms.BooleanField(
        label="The information I have given is true",
        error_messages={"required": "Confirm that the information you have given is true"},
    )


class RegisterSearchForm(GovukFormMixin, forms.Form):
    constituency = forms.ModelChoiceField(
        queryset=Constituency.objects.all(), required=False, empty_label="All constituencies"
    )
    surname = forms.CharField(required=False, max_length=100, label="Last name begins with")


class RegisterAsAtForm(GovukFormMixin, forms.Form):
    as_at = forms.DateField(
        label="Register as at", help_text="For example, 2025-03-31", widget=forms.DateInput(attrs={"type": "date"})
    )
    constituency = forms.ModelChoiceField(
        queryset=Constituency.objects.all(), required=False, empty_label="All constituencies"
    )


class StaffConstituencyChoice(forms.ModelChoiceField):
    """A staff constituency named with its classes, so an officer can tell 'Staff' (every staff
    group, in classes) from a constituency for one group only."""

    def label_from_instance(self, constituency):
        classes = ", ".join(constituency.classes or [])
        return f"{constituency.name} (classes: {classes})" if classes else f"{constituency.name} (no classes)"


class ImportUploadForm(forms.Form):
    constituency = StaffConstituencyChoice(
        queryset=Constituency.objects.filter(kind=ConstituencyKind.STAFF),
        label="Staff constituency",
        help_text=(
            "The constituency whose staff this file lists. A file of all staff goes into the constituency with "
            "classes: each person's ESR staff group puts them in a class (see the membership officer's guide). "
            "Choose a constituency with no classes only for a file of that group's staff alone."
        ),
    )
    file = forms.FileField(label="Staff file (CSV)", help_text="See the membership officer's guide for the columns.")
    full = forms.BooleanField(
        required=False,
        initial=False,
        label="This file lists every member of staff in this constituency",
        help_text=(
            "Tick only for a complete ESR export. Then anyone in the constituency who is not in the file is "
            "proposed as a leaver, for you to confirm or dismiss one by one; nobody is removed straight away. "
            "Leave it unticked for a file of new starters or changes: nobody is proposed as a leaver."
        ),
    )


class MembersImportForm(forms.Form):
    file = forms.FileField(
        label="Members file (CSV)",
        help_text="One member a row. See the membership officer's guide for the columns; a sample is in docs/samples.",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for holding their details",
        choices=[("", "Given on each row of the file"), *LawfulBasis.choices],
        required=False,
        help_text="Kept with each member whose row gives none (UK GDPR Art.6(1)).",
    )
    source = forms.CharField(
        max_length=200,
        required=False,
        label="Where the list came from (optional)",
        help_text="Kept with each member, e.g. 'Previous provider, export of March 2025'. The file's name if blank.",
    )

    def choices(self):
        """What `import_public_members` takes from the form, besides the file."""
        data = self.cleaned_data
        return {"lawful_basis": data["lawful_basis"] or None, "source": data["source"] or data["file"].name}


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label="A published file (CSV)",
        help_text=(
            "An ONS Census 2021 table as bulk CSV (age, sex, ethnic group, disability or unpaid care), the English IMD "
            "2019 File 1, or the ONS Postcode Directory. We recognise which from its columns."
        ),
    )


class PaperApplicationForm(JoinForm):
    """The join form, for an officer entering an application that came on paper: the same
    questions, rules and checks, in the officer's words."""

    LABELS = {
        "first_name": "Applicant's first name",
        "last_name": "Applicant's last name",
        "email": "Applicant's email address (optional)",
        "joining_as": "Constituency they are joining",
        "declaration": "They made the declaration for that constituency on the form",
        "post_only": "They want everything by post",
        "large_print": "They would like large print",
        "easy_read": "They would like easy read versions",
        "withheld_from_public_register": "They asked not to be shown when the public inspects the register",
        "accurate": "They signed the form to say the information is true",
        "consent": "They ticked the box on the form to agree to us keeping their census answers",
    }
    admit_now = forms.BooleanField(
        required=False,
        label="Admit them now",
        help_text=(
            "You have checked the form and decide the application yourself. Someone who may already be a member, or "
            "who owes a joining payment, still waits."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.LABELS.items():
            self.fields[name].label = label
        self.fields["email"].help_text = "We send them a link to confirm it. Leave empty to write to them by post."
        self.fields["dob_day"].label = "Date of birth: day"
        self.fields["dob_month"].label = "Date of birth: month"
        self.fields["dob_year"].label = "Date of birth: year"
        self.fields["accurate"].error_messages["required"] = "An application is taken only once it is signed"
        self.fields["consent"].help_text = "Without it, leave their census answers out: we may not keep them."
