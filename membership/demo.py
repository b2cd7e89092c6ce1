"""Demo register: a few thousand fictional members across the constituencies of a foundation
trust, with realistic spreads of age, area, staff group and history. Idempotent."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from config.demo import demo_email
from membership.census_categories import ETHNIC_GROUPS as ETHNIC_GROUP_LIST
from membership.census_categories import PREFER_NOT_TO_SAY
from membership.models import (
    Application,
    ApplicationStatus,
    Area,
    CeaseReason,
    CensusAnswers,
    Constituency,
    ConstituencyKind,
    Member,
    Membership,
)
from records.services import record

SEED = 20_240_401
MEMBERS = 3000
FIRST_NAMES = (
    "Olivia Amelia Isla Ava Mia Grace Sophia Lily Freya Emily Noah Oliver George Arthur Leo Harry Oscar Archie "
    "Henry Jack Mohammed Aisha Priya Ravi Chen Wei Kwame Ama Zofia Piotr Siobhan Declan Rhys Megan Margaret "
    "Dorothy Joan Brian Colin Kenneth Patricia Barbara Susan Derek Maureen"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson Evans Walker White "
    "Roberts Green Hall Wood Jackson Clarke Khan Ali Hussain Begum Singh Kaur Nowak Kowalski Murphy Kelly O'Brien "
    "Okafor Mensah Chen Wong Hughes Edwards Lewis Price Morgan Shaw Lloyd"
).split()
STREETS = "Mill Lane,Church Street,Station Road,Victoria Road,Park Avenue,Queen Street,Canal Side,Elm Grove".split(",")
CONSTITUENCIES = [
    ("public-northfield", "Public: Northfield", ConstituencyKind.PUBLIC, []),
    ("public-southmoor", "Public: Southmoor", ConstituencyKind.PUBLIC, []),
    ("service-users", "Patients and service users", ConstituencyKind.SERVICE_USER, []),
    ("carers", "Carers", ConstituencyKind.CARER, []),
    ("staff", "Staff", ConstituencyKind.STAFF, ["Medical", "Nursing", "Other"]),
]
AREAS = [
    ("Northfield Central", "public-northfield", "NF1 NF2 NF3"),
    ("Northfield East", "public-northfield", "NF4 NF5"),
    ("Southmoor", "public-southmoor", "NF6 NF7 NF8 NF9"),
]
# (constituency slug, share of members)
SPREAD = [
    ("public-northfield", 0.42),
    ("public-southmoor", 0.23),
    ("service-users", 0.12),
    ("carers", 0.05),
    ("staff", 0.18),
]
STAFF_GROUPS = [("Medical", 0.15), ("Nursing", 0.35), ("Other", 0.50)]
SEXES = [("Female", 0.55), ("Male", 0.43), (PREFER_NOT_TO_SAY, 0.02)]
ETHNIC_GROUPS = [
    (ETHNIC_GROUP_LIST[12], 0.74),
    (ETHNIC_GROUP_LIST[16], 0.06),
    (ETHNIC_GROUP_LIST[3], 0.06),
    (ETHNIC_GROUP_LIST[2], 0.04),
    (ETHNIC_GROUP_LIST[5], 0.05),
    (ETHNIC_GROUP_LIST[11], 0.03),
    (PREFER_NOT_TO_SAY, 0.02),
]
# Age bands as lower bounds weighted like an older-skewing membership.
AGE_WEIGHTS = [(16, 0.04), (22, 0.08), (30, 0.15), (45, 0.22), (60, 0.28), (75, 0.23)]


def _choose(rng, weighted):
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _constituencies():
    made = {}
    for slug, name, kind, classes in CONSTITUENCIES:
        made[slug], _ = Constituency.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "classes": classes}
        )
    for name, slug, districts in AREAS:
        Area.objects.get_or_create(name=name, defaults={"constituency": made[slug], "postcode_districts": districts})
    return made


def _postcode(rng, slug):
    districts = {"public-northfield": "NF1 NF2 NF3 NF4 NF5", "public-southmoor": "NF6 NF7 NF8 NF9"}.get(
        slug, "NF1 NF3 NF6 NF8 NF12"
    )
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{rng.choice(districts.split())} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _member(rng, number, slug, today):
    lower = _choose(rng, AGE_WEIGHTS)
    age = rng.randint(lower, lower + (14 if lower < 75 else 20))
    consented = rng.random() < 0.6
    member = Member(
        membership_number=f"D{number:07d}",
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        email=f"member{number}@example.org" if rng.random() < 0.8 else "",
        address_line_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
        town="Southmoor" if slug == "public-southmoor" else "Northfield",
        postcode=_postcode(rng, slug),
        date_of_birth=today - datetime.timedelta(days=age * 365 + rng.randint(0, 364)),
        employee_number=f"NF{number:06d}" if slug == "staff" else "",
        post_only=rng.random() < 0.1,
        large_print=rng.random() < 0.06,
        easy_read=rng.random() < 0.03,
        withheld_from_public_register=rng.random() < 0.05,
    )
    if consented:  # kept beside the member until it has a primary key (`_census_answers`)
        member.demo_census_answers = CensusAnswers(
            consented_on=today - datetime.timedelta(days=rng.randint(0, 3000)),
            sex=_choose(rng, SEXES),
            ethnic_group=_choose(rng, ETHNIC_GROUPS),
        )
    return member


def _memberships(rng, members, slugs, constituencies, today):
    rows = []
    for member, slug in zip(members, slugs, strict=True):
        admitted = today - datetime.timedelta(days=rng.randint(30, 20 * 365))
        member_class = _choose(rng, STAFF_GROUPS) if slug == "staff" else ""
        roll = rng.random()
        if roll < 0.08:  # a former member: moved away, resigned or died
            ceased = admitted + datetime.timedelta(days=rng.randint(1, (today - admitted).days))
            reason = rng.choice([CeaseReason.MOVED_AWAY, CeaseReason.REQUEST, CeaseReason.DEATH])
            rows.append(
                Membership(
                    member=member,
                    constituency=constituencies[slug],
                    member_class=member_class,
                    admitted_on=admitted,
                    ceased_on=ceased,
                    cease_reason=reason,
                )
            )
        elif roll < 0.12 and slug != "service-users":  # transferred from service users
            moved = admitted + datetime.timedelta(days=rng.randint(1, (today - admitted).days))
            rows.append(
                Membership(
                    member=member,
                    constituency=constituencies["service-users"],
                    admitted_on=admitted,
                    ceased_on=moved,
                    cease_reason=CeaseReason.TRANSFERRED,
                )
            )
            rows.append(
                Membership(
                    member=member, constituency=constituencies[slug], member_class=member_class, admitted_on=moved
                )
            )
        else:
            rows.append(
                Membership(
                    member=member, constituency=constituencies[slug], member_class=member_class, admitted_on=admitted
                )
            )
    return rows


def _census_answers(members):
    answers = []
    for member in members:
        if hasattr(member, "demo_census_answers"):
            member.demo_census_answers.member = member
            answers.append(member.demo_census_answers)
    CensusAnswers.objects.bulk_create(answers, batch_size=1000)


@transaction.atomic
def _register(constituencies, today):
    """The fictional register, its record entry and the pending applications, all or none: the
    seed looks for the members to know whether this is done."""
    rng = random.Random(SEED)
    slugs = [_choose(rng, SPREAD) for _ in range(MEMBERS)]
    members = bulk_create_with_history(
        [_member(rng, n + 1, slug, today) for n, slug in enumerate(slugs)], Member, batch_size=1000
    )
    bulk_create_with_history(_memberships(rng, members, slugs, constituencies, today), Membership, batch_size=1000)
    _census_answers(members)
    record(
        "members.imported",
        f"Demo register of {MEMBERS} fictional members loaded",
        payload={"demo": True, "members": MEMBERS},
    )
    _applications(rng, constituencies, members[0])


def seed(out):
    today = datetime.date.today()
    constituencies = _constituencies()
    if not Member.objects.filter(membership_number__startswith="D").exists():
        _register(constituencies, today)
    user = get_user_model().objects.filter(email=demo_email("Member")).first()
    if user is not None and not Member.objects.filter(user=user).exists():
        public = Member.objects.filter(
            membership_number__startswith="D",
            memberships__ceased_on__isnull=True,
            memberships__constituency__kind=ConstituencyKind.PUBLIC,
        ).order_by("membership_number")
        # Northfield's, where the demo's elections are, so the signed-in member can rehearse voting.
        member = public.filter(memberships__constituency__slug="public-northfield").first() or public.first()
        member.user, member.first_name, member.last_name, member.email = user, "Demo", "Member", user.email
        member.save()
    out.write(
        f"Membership: {Member.objects.count()} members in {len(constituencies)} constituencies; "
        f"{demo_email('Member')} is a public member (see /members/me/)."
    )


def _applications(rng, constituencies, duplicate_of):
    pending = [
        ("Hannah", "Baker", "NF2 4QT"),
        ("Samuel", "Osei", "NF7 1AB"),
        (duplicate_of.first_name, duplicate_of.last_name, duplicate_of.postcode),
    ]
    for index, (first, last, postcode) in enumerate(pending):
        Application.objects.create(
            reference=f"demo-application-{index}",
            status=ApplicationStatus.PENDING,
            constituency=constituencies["public-southmoor" if postcode.startswith("NF7") else "public-northfield"],
            first_name=first,
            last_name=last,
            address_line_1=f"{rng.randint(1, 90)} Mill Lane",
            postcode=postcode,
            date_of_birth=duplicate_of.date_of_birth if index == 2 else datetime.date(1970 + index, 3, 14),
            email=f"{first.lower()}@example.org",
            possible_duplicate_of=duplicate_of if index == 2 else None,
        )
