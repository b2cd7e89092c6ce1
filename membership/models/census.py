"""The population the organisation serves, from published data: ONS Census 2021 figures by area
and category, the English Index of Multiple Deprivation 2019 by LSOA, and which LSOA each postcode
lies in (ONS Postcode Directory). Loaded by `membership.census`; nothing here is typed in."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from membership.census_categories import ASKED, PREFER_NOT_TO_SAY
from membership.models.applications import Application
from membership.models.register import Constituency, Member


class CensusTopic(models.TextChoices):
    """The Census 2021 topics the membership is compared on, by the heading their tables use."""

    AGE = "age", "Age"
    SEX = "sex", "Sex"
    ETHNIC_GROUP = "ethnic_group", "Ethnic group"
    DISABILITY = "disability", "Disability"
    UNPAID_CARE = "unpaid_care", "Provision of unpaid care"


class CensusFigure(models.Model):
    """How many usual residents of one area (an LSOA or a local authority, by its ONS code) fall
    in one category of a census topic, as the published table says."""

    area_code = models.CharField(max_length=9, help_text="ONS GSS code, e.g. E01011954 or E06000001.")
    area_name = models.CharField(max_length=120)
    topic = models.CharField(max_length=20, choices=CensusTopic.choices)
    category = models.CharField(max_length=200, help_text="The census's own words for the category.")
    residents = models.PositiveIntegerField()
    source = models.CharField(max_length=200, help_text="The file it was loaded from.")

    class Meta:
        ordering = ["topic", "area_code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area_code", "topic", "category"], name="one_census_figure_per_category")
        ]

    def __str__(self):
        return f"{self.area_code} {self.get_topic_display()}: {self.category} = {self.residents}"


class Deprivation(models.Model):
    """An LSOA's decile of the English Index of Multiple Deprivation 2019 (1 is the most deprived
    tenth of England's LSOAs). The IMD uses the 2011 LSOAs."""

    lsoa_code = models.CharField("LSOA code (2011)", max_length=9, unique=True)
    lsoa_name = models.CharField(max_length=120)
    local_authority_code = models.CharField(max_length=9, db_index=True)
    decile = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["lsoa_code"]
        constraints = [models.CheckConstraint(condition=Q(decile__gte=1, decile__lte=10), name="imd_decile_1_to_10")]

    def __str__(self):
        return f"{self.lsoa_code} {self.lsoa_name}: decile {self.decile}"


class PostcodeArea(models.Model):
    """Which LSOAs and local authority a postcode lies in, from the ONS Postcode Directory: how a
    member's postcode meets the census (2021 LSOAs) and the IMD (2011 LSOAs)."""

    postcode = models.CharField(max_length=8, unique=True, help_text="As the ONS writes it (pcds): “TS24 7AA”.")
    lsoa11 = models.CharField("LSOA (2011)", max_length=9, blank=True)
    lsoa21 = models.CharField("LSOA (2021)", max_length=9, blank=True)
    local_authority = models.CharField(max_length=9, blank=True)

    def __str__(self):
        return self.postcode


class RepresentationTarget(models.Model):
    """The membership plan's target share of members for one category (of a census topic, or an
    IMD decile), for one public constituency or for the whole public membership."""

    constituency = models.ForeignKey(
        Constituency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="representation_targets",
        help_text="Leave blank for a target across all public constituencies.",
    )
    topic = models.CharField(max_length=20, choices=[*CensusTopic.choices, ("imd_decile", "IMD decile")])
    category = models.CharField(max_length=200, help_text="As the census writes it, or the decile's number.")
    target_percent = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["topic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "topic", "category"],
                nulls_distinct=False,
                name="one_target_per_category",
            ),
            models.CheckConstraint(
                condition=Q(target_percent__gte=0, target_percent__lte=100), name="target_percent_0_to_100"
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()}: {self.category} — {self.target_percent}%"


def _answer_field(topic, label):
    return models.CharField(
        label, max_length=200, blank=True, choices=[(c, c) for c in (*ASKED[topic], PREFER_NOT_TO_SAY)]
    )


def _answers_are_census_categories(prefix):
    return [
        models.CheckConstraint(
            condition=Q(**{f"{topic}__in": ["", *ASKED[topic], PREFER_NOT_TO_SAY]}),
            name=f"{prefix}_{topic}_is_a_census_category",
        )
        for topic in ("sex", "ethnic_group", "disability", "unpaid_care")
    ]


class CensusQuestionAnswers(models.Model):
    """A person's own answers to the census questions, each optional, each with Prefer not to say."""

    sex = _answer_field("sex", "Sex")
    ethnic_group = _answer_field("ethnic_group", "Ethnic group")
    disability = _answer_field("disability", "Disability")
    unpaid_care = _answer_field("unpaid_care", "Unpaid care")

    TOPICS = ("sex", "ethnic_group", "disability", "unpaid_care")

    class Meta:
        abstract = True

    def answers(self):
        return {topic: getattr(self, topic) for topic in self.TOPICS}


class CensusAnswers(CensusQuestionAnswers):
    """A member's own answers to the census questions.

    Ethnic group and disability are special category data (UK GDPR Art.9): held only with the
    member's explicit consent (UK GDPR Art.9(2)(a)), dated; read only by the member and the membership
    office (`membership.view_special_category`); only aggregates, with small cells suppressed,
    leave the office. No history is kept: withdrawing consent or erasure deletes the row."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="census_answers")
    consented_on = models.DateField(help_text="When the member agreed to us keeping these answers.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "census answers"
        constraints = _answers_are_census_categories("census_answer")

    def __str__(self):
        return f"Census answers of {self.member.membership_number}"


class ApplicantCensusAnswers(CensusQuestionAnswers):
    """What an applicant answered to the census questions on the join form, kept apart from the
    application (whose fields have history, shown to whoever decides it) under the same rule as
    CensusAnswers: only with their explicit, dated consent, read only by the membership office.
    Approval moves them onto the member's CensusAnswers with the same date of consent; rejection,
    withdrawal or erasure deletes them (`membership.census_answers`)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="census_answers")
    consented_on = models.DateField(help_text="When the applicant agreed to us keeping these answers.")

    class Meta:
        verbose_name_plural = "applicants' census answers"
        constraints = _answers_are_census_categories("applicant_census_answer")

    def __str__(self):
        return f"Census answers given with application {self.application.reference}"
