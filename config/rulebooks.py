"""The numbers each kind of organisation lives by, as data.

One rulebook per organisation type; the deployment's type (`ORGANISATION_TYPE`) picks one and
`RULEBOOK_OVERRIDES` (JSON, e.g. `{"membership": {"minimum_age": 14}}`) changes any number to
match the organisation's own constitution. Code asks `current()` and never writes a rule's
number as a literal. Sources are cited beside each default (see ../shared/DOMAIN.md).
"""

from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import time
from fractions import Fraction

from django.conf import settings


@dataclass(frozen=True)
class MembershipRules:
    minimum_age: int = 16  # NHS Act 2006 Sch.7 para.3; constitutions commonly 16 (some 14 or 11)
    service_user_lookback_years: int = 3  # "attended the trust's services within ... commonly 3 years"
    staff_minimum_service_months: int = 12  # staff constituency: permanent, or >= 12 months' service
    automatic_admission: bool = True  # eligible applicants admitted without an officer's decision
    public_areas_restricted: bool = True  # public members must live in the organisation's areas
    # Counts of members below this are never shown in a representativeness chart, report or export
    # ("fewer than 10"): members' census answers are special category data (UK GDPR Art.9), and
    # ONS statistical disclosure control likewise suppresses small cells.
    smallest_cell: int = 10
    # The register is open to inspection on request, not published (NHS Act 2006 Sch.7;
    # CA 2006 s.116; societies by their rules). An organisation whose rules publish it sets True.
    register_published: bool = False
    inspection_answer_working_days: int = 5  # CA 2006 s.117(1): within five working days
    inspection_access_days: int = 14  # how long a granted inspection stays open to the requester


@dataclass(frozen=True)
class PaymentRules:
    share_required: bool = False
    share_pence: int = 0
    share_withdrawable: bool = True
    fee_pence: int = 0
    fee_period: str = "none"  # "none", "one-off" or "yearly"
    # A yearly fee falls due on admission and a year after each payment; unpaid this many days
    # after, it is overdue and the member may be reminded (at most once per interval).
    fee_grace_days: int = 30
    fee_reminder_interval_days: int = 28
    donations: bool = False
    minimum_donation_pence: int = 100  # above Stripe's smallest card charge in GBP (30p), net of its fee
    currency: str = "gbp"  # ISO 4217, lower case as Stripe takes it; amounts are in its minor unit (pence)


@dataclass(frozen=True)
class ElectionRules:
    # MER 2014 r.3 timetable: working days before the close of poll.
    notice_working_days: int = 40
    nominations_close_working_days: int = 28
    statement_of_candidates_working_days: int = 27
    withdrawals_close_working_days: int = 25
    poll_notice_working_days: int = 15
    poll_closes_at: time = time(17, 0)
    statement_word_limit: int = 250  # MER 2014 r.11
    photo_max_bytes: int = 2 * 1024 * 1024
    default_method: str = "mer2014"  # the counting method a new election's set-up offers first


@dataclass(frozen=True)
class OfficeRules:
    term_years: int = 3  # Constitution (terms of office): governors' terms up to 3 years
    maximum_years: int = 9  # commonly at most 9 years in total
    warn_months_before_limit: int = 6
    # A company keeps a register of people with significant control (CA 2006 Part 21A).
    psc_register: bool = False
    # Directors always sign in with two factors (they read the board's confidential papers);
    # governors are lay members, who may turn it on and must when the constitution says so.
    governors_need_two_factors: bool = False
    # Directors attest each year that they are Fit and Proper Persons (Health and Social Care Act 2008
    # (Regulated Activities) Regulations 2014, reg. 5; the NHS FPP framework asks for it yearly).
    fit_and_proper_months: int = 12
    fit_and_proper_body_kinds: tuple = ("board",)
    # Constitution (training): a seat's required training is completed within this many days of
    # taking office, then refreshed.
    induction_within_days: int = 90
    training_refresh_months: int = 36
    # The daily check emails the company secretary what falls due within this many days.
    due_notice_days: int = 30
    # The public registers show when each holder's attestation and training fall due.
    publish_due_dates: bool = True
    # Training every holder of a seat on the council of governors completes, besides what their seat
    # names: the organisation's own list (none by default). A foundation trust's is below.
    governor_training: tuple = ()


# The governor core skills NHS Providers teaches foundation trust governors (its GovernWell
# programme), named here in our own words; a trust whose constitution asks for more or other
# courses overrides `office.governor_training`.
NHS_PROVIDERS_GOVERNOR_CORE_SKILLS = (
    "Induction: the governor's role and duties",
    "Holding the non-executive directors to account",
    "Asking questions that test and challenge",
    "Reading the trust's finances",
    "Engaging members and the public",
)


@dataclass(frozen=True)
class EngagementRules:
    # A member's question to their governors is answered within this many days; past it, the
    # daily check reminds the constituency's governors and the council's clerks, at most once
    # every `reminder_interval_days`.
    answer_within_days: int = 14
    reminder_interval_days: int = 7
    # The bodies whose decisions a governor's "you said, we did" report links to.
    decision_body_kinds: tuple = ("board",)
    # How far back the published engagement figures reach, by default.
    figures_period_days: int = 365


@dataclass(frozen=True)
class MeetingRules:
    quorum_fraction: Fraction = Fraction(1, 3)  # of a body's seats filled
    quorum_minimum: int = 3
    general_meeting_quorum_fraction: Fraction = Fraction(0)  # members present; 0 = fixed number only
    general_meeting_quorum_minimum: int = 10
    paper_max_bytes: int = 20 * 1024 * 1024  # a meeting paper's PDF; board packs run to a few megabytes


@dataclass(frozen=True)
class MotionRules:
    supporters_required: int = 5  # a set number of members support (e.g. 5) ...
    supporters_fraction: Fraction = Fraction(0)  # ... or a share of members (e.g. 1/100); the larger applies
    deadline_days_before_meeting: int = 28
    # Of votes cast at a meeting (CA 2006 ss.282-283): an ordinary resolution needs more than half,
    # a special one at least 75%.
    ordinary_majority: Fraction = Fraction(1, 2)
    special_majority: Fraction = Fraction(3, 4)
    poll_quorum_votes: int = 0  # votes cast for a poll to be valid; 0 = none
    # Written resolutions of a company's members (CA 2006 ss.288-300): passed when the
    # majority is reached among all eligible members, not votes cast; lapsed if not by the period's end.
    written_resolutions: bool = False
    written_resolution_lapse_days: int = 28  # CA 2006 s.297: 28 days from circulation unless the articles say otherwise
    written_resolution_request_fraction: Fraction = Fraction(1, 20)  # CA 2006 s.292(5): 5% may require one
    written_resolution_circulate_within_days: int = 21  # CA 2006 s.293(1): circulated within 21 days of the request


@dataclass(frozen=True)
class DirectoryRules:
    verification_period_days: int = 365  # partner entries not verified within this are flagged


@dataclass(frozen=True)
class Rulebook:
    name: str
    membership: MembershipRules = field(default_factory=MembershipRules)
    payments: PaymentRules = field(default_factory=PaymentRules)
    elections: ElectionRules = field(default_factory=ElectionRules)
    office: OfficeRules = field(default_factory=OfficeRules)
    engagement: EngagementRules = field(default_factory=EngagementRules)
    meetings: MeetingRules = field(default_factory=MeetingRules)
    motions: MotionRules = field(default_factory=MotionRules)
    directory: DirectoryRules = field(default_factory=DirectoryRules)


_SOCIETY_MEMBERSHIP = MembershipRules(minimum_age=16, automatic_admission=False, public_areas_restricted=False)

RULEBOOKS = {
    "foundation_trust": Rulebook(
        name="NHS foundation trust", office=OfficeRules(governor_training=NHS_PROVIDERS_GOVERNOR_CORE_SKILLS)
    ),
    "cooperative": Rulebook(
        name="Co-operative society",
        membership=_SOCIETY_MEMBERSHIP,
        payments=PaymentRules(share_required=True, share_pence=100, share_withdrawable=True, donations=True),
        elections=ElectionRules(default_method="ers97"),
        meetings=MeetingRules(general_meeting_quorum_fraction=Fraction(1, 10), general_meeting_quorum_minimum=10),
        motions=MotionRules(special_majority=Fraction(2, 3), supporters_fraction=Fraction(1, 100)),
    ),
    "community_benefit_society": Rulebook(
        name="Community benefit society",
        membership=_SOCIETY_MEMBERSHIP,
        payments=PaymentRules(share_required=True, share_pence=100, share_withdrawable=True, donations=True),
        elections=ElectionRules(default_method="ers97"),
        motions=MotionRules(supporters_fraction=Fraction(1, 100)),
    ),
    "cic": Rulebook(
        name="Community interest company (staff-owned spin-out)",
        membership=_SOCIETY_MEMBERSHIP,
        payments=PaymentRules(fee_pence=0, donations=True),
        elections=ElectionRules(default_method="ers97"),
        office=OfficeRules(psc_register=True),
        motions=MotionRules(written_resolutions=True),
    ),
    "charity": Rulebook(
        name="Charity (charitable incorporated organisation)",
        membership=_SOCIETY_MEMBERSHIP,
        payments=PaymentRules(fee_pence=0, fee_period="yearly", donations=True),
        elections=ElectionRules(default_method="meek"),
    ),
}


def _apply(base, overrides, path="rulebook"):
    """A copy of `base` with `overrides` applied; unknown keys are errors, not silently ignored."""
    known = {f.name: f for f in fields(base)}
    changes = {}
    for key, value in overrides.items():
        if key not in known:
            raise ValueError(f"{path}.{key} is not a rule; the rules here are: {', '.join(known)}.")
        current_value = getattr(base, key)
        if is_dataclass(current_value):
            changes[key] = _apply(current_value, value, f"{path}.{key}")
        elif isinstance(current_value, Fraction):
            changes[key] = Fraction(str(value))
        elif isinstance(current_value, time):
            changes[key] = time.fromisoformat(value)
        elif isinstance(current_value, tuple):
            changes[key] = tuple(value)
        else:
            changes[key] = type(current_value)(value)
    return replace(base, **changes)


def rulebook_for(organisation_type, overrides=None):
    try:
        base = RULEBOOKS[organisation_type]
    except KeyError:
        raise ValueError(
            f"ORGANISATION_TYPE {organisation_type!r} is not known; choose one of: {', '.join(RULEBOOKS)}."
        ) from None
    return _apply(base, overrides or {})


def current():
    """The rulebook of this deployment's organisation, with its overrides."""
    return rulebook_for(settings.ORGANISATION_TYPE, settings.RULEBOOK_OVERRIDES)
