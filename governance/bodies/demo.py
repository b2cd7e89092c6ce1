"""Demo bodies: a council of governors, a board, two committees, their seats and holders, and
clerks. Fictional and idempotent: a second run changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from config import rulebooks
from config.demo import demo_email
from governance.bodies.models import Body, BodyKind, Declaration, Seat, SeatKind, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure, declare, end_tenure
from membership.models import Constituency, ConstituencyKind, Member
from membership.selectors import current_membership
from membership.services import admit_member

# Terms run three years from the 1 July before last, so the demo's holders are in office whenever it is run.
TERM_YEARS = 3

BODIES = [
    (
        "council-of-governors",
        "Council of Governors",
        BodyKind.COUNCIL_OF_GOVERNORS,
        None,
        "Holds the non-executive directors to account for the performance of the board and represents "
        "the interests of members and the public.",
    ),
    (
        "board-of-directors",
        "Board of Directors",
        BodyKind.BOARD,
        None,
        "Runs the trust: strategy, quality and safety, finance and performance.",
    ),
    (
        "nominations-committee",
        "Nominations and Remuneration Committee",
        BodyKind.COMMITTEE,
        "council-of-governors",
        "Recommends the appointment and pay of the chair and non-executive directors to the council.",
    ),
    (
        "audit-committee",
        "Audit Committee",
        BodyKind.COMMITTEE,
        "board-of-directors",
        "Assures the board on internal control, risk management and the annual accounts.",
    ),
    (
        "general-meeting",
        "General meeting of members",
        BodyKind.GENERAL_MEETING,
        None,
        "The annual members' meeting and any general meeting of members.",
    ),
]

# Constituencies electing the demo's governors: (slug, name, kind).
CONSTITUENCIES = {
    "Public governor, Northfield": ("public-northfield", "Public: Northfield", ConstituencyKind.PUBLIC),
    "Public governor, Eastbrook": ("public-eastbrook", "Public: Eastbrook", ConstituencyKind.PUBLIC),
    "Staff governor, nursing": ("staff-nursing", "Staff: nursing", ConstituencyKind.STAFF),
}

# (body slug, seat, kind, holder first name, last name, appointing organisation)
SEATS = [
    ("council-of-governors", "Public governor, Northfield", SeatKind.ELECTED, "Amara", "Okafor", ""),
    ("council-of-governors", "Public governor, Eastbrook", SeatKind.ELECTED, "Gareth", "Lloyd", ""),
    ("council-of-governors", "Staff governor, nursing", SeatKind.ELECTED, "Priya", "Raman", ""),
    (
        "council-of-governors",
        "Appointed governor, Northfield Borough Council",
        SeatKind.APPOINTED,
        "Helen",
        "Marsh",
        "Northfield Borough Council",
    ),
    ("board-of-directors", "Chair", SeatKind.APPOINTED, "Margaret", "Osei", "Council of Governors"),
    ("board-of-directors", "Chief executive", SeatKind.EX_OFFICIO, "Daniel", "Kerr", ""),
    ("board-of-directors", "Finance director", SeatKind.EX_OFFICIO, "Ruth", "Adeyemi", ""),
    ("audit-committee", "Committee chair", SeatKind.APPOINTED, "Ruth", "Adeyemi", "Board of Directors"),
]

REMITS = {
    "Public governor, Northfield": "Represents people living in Northfield: hears their views, asks the board "
    "about services close to home and reports back what it did.",
    "Public governor, Eastbrook": "Represents people living in Eastbrook: hears their views, asks the board about "
    "services close to home and reports back what it did.",
    "Staff governor, nursing": "Represents the trust's nurses and midwives to the council and the board.",
}

BASIS = {
    SeatKind.ELECTED: TenureBasis.ELECTED,
    SeatKind.APPOINTED: TenureBasis.APPOINTED,
    SeatKind.EX_OFFICIO: TenureBasis.EX_OFFICIO,
}


def _constituency(seat_name="Public governor, Northfield"):
    slug, name, kind = CONSTITUENCIES[seat_name]
    constituency, _ = Constituency.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    return constituency


def _term_start():
    today = timezone.localdate()
    return datetime.date(today.year - 1 if today >= datetime.date(today.year, 7, 1) else today.year - 2, 7, 1)


def demo_member(first_name, last_name, *, user=None, constituency=None):
    """A fictional member on the register, found again by name on a second run."""
    member = Member.objects.filter(user=user).first() if user else None
    member = member or Member.objects.filter(first_name=first_name, last_name=last_name).first()
    if member is None:
        number = f"DEMO{Member.objects.count() + 1:05d}"
        member = Member.objects.create(
            membership_number=number,
            first_name=first_name,
            last_name=last_name,
            email=f"{first_name}.{last_name}@northfield.example".lower(),
            town="Northfield",
        )
    if user is not None and member.user_id is None:
        member.user = user
        member.save(update_fields=["user"])
    if current_membership(member) is None:
        admit_member(member, constituency or _constituency(), admitted_on=datetime.date(2020, 1, 6))
    return member


def seed(out):
    started = _term_start()
    bodies = {}
    for slug, name, kind, parent, remit in BODIES:
        bodies[slug], _ = Body.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "remit": remit, "parent": bodies.get(parent)}
        )
    governor_user = get_user_model().objects.filter(email=demo_email("Governor")).first()
    for slug, seat_name, kind, first, last, appointer in SEATS:
        constituency = _constituency(seat_name) if kind == SeatKind.ELECTED else None
        seat, _ = Seat.objects.get_or_create(
            body=bodies[slug],
            name=seat_name,
            defaults={
                "kind": kind,
                "appointing_organisation": appointer,
                "constituency": constituency,
                "remit": REMITS.get(seat_name, ""),
            },
        )
        if seat.tenures.exists():
            continue
        user = governor_user if (first, last) == ("Amara", "Okafor") else None
        holder = demo_member(first, last, user=user, constituency=constituency)
        if seat_name == "Public governor, Northfield":
            _past_holder(seat, started)
        begin_tenure(
            seat,
            holder,
            started_on=started,
            basis=BASIS[kind],
            term_ends_on=started.replace(year=started.year + TERM_YEARS),
        )
        if not holder.declarations.exists():
            _demo_training(holder, seat, started)
            declare(
                holder,
                Declaration.Kind.INTEREST if first == "Amara" else Declaration.Kind.NIL_RETURN,
                "Trustee, Northfield Carers' Network" if first == "Amara" else "No interests to declare",
                declared_on=started,
            )
    clerk = get_user_model().objects.filter(email=demo_email("Clerk")).first()
    if clerk is not None:
        for slug in ("council-of-governors", "board-of-directors", "general-meeting"):
            appoint_clerk(bodies[slug], clerk)
    out.write(f"Bodies: {', '.join(body.name for body in bodies.values())}; clerk {demo_email('Clerk')}.")


def _demo_training(holder, seat, started):
    """A governor who has done the first three of the rulebook's courses, so the register shows the rest due."""
    if seat.body.kind != BodyKind.COUNCIL_OF_GOVERNORS:
        return
    for course in rulebooks.current().office.governor_training[:3]:
        declare(holder, Declaration.Kind.TRAINING, course, declared_on=started + datetime.timedelta(days=30))


def _past_holder(seat, started):
    """The seat's previous holder, whose term ended when the current one began: the registers list them as past."""
    previous = demo_member("Colin", "Barratt", constituency=seat.constituency)
    began = started.replace(year=started.year - TERM_YEARS)
    tenure = begin_tenure(seat, previous, started_on=began, basis=TenureBasis.ELECTED, term_ends_on=started)
    end_tenure(tenure, ended_on=started - datetime.timedelta(days=1), reason="Term ended")
