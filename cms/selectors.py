from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from config.rulebooks import current as current_rulebook
from governance.bodies.models import Body, BodyKind
from governance.bodies.selectors import (
    current_office_holders,
    public_declarations,
    questions_asked_by,
    representatives_of,
)
from governance.elections.selectors import ballots_for_member, declared_elections
from governance.meetings.models import MeetingStatus
from governance.meetings.selectors import public_meetings, public_papers, recent_papers_for
from governance.motions.models import MotionStatus
from governance.motions.selectors import motions_for_member, published_motions, written_resolutions_for_member
from membership.selectors import current_membership

NEXT_MEETINGS = 3
DECIDED_MOTIONS = 10
DECLARED_ELECTIONS = 10
DECIDED = (MotionStatus.CARRIED, MotionStatus.LOST, MotionStatus.INQUORATE)
# The bodies a visitor asks about first; committees are listed by the bodies they report to.
GOVERNING_KINDS = (BodyKind.COUNCIL_OF_GOVERNORS, BodyKind.BOARD)


def governing_bodies(on=None):
    """The council and board, each with `office_holders` (the tenures in force on `on`, today by
    default, from the register) and each holder's `declarations` (the public register of interests)."""
    bodies = list(Body.objects.filter(kind__in=GOVERNING_KINDS).order_by("kind", "name"))
    for body in bodies:
        body.office_holders = list(current_office_holders(body, on).select_related("seat__constituency"))
        declarations = defaultdict(list)
        for declaration in public_declarations([tenure.holder_id for tenure in body.office_holders]):
            if declaration.ended_on is None:
                declarations[declaration.holder_id].append(declaration)
        for tenure in body.office_holders:
            tenure.declarations = declarations[tenure.holder_id]
    return bodies


def next_public_meetings(limit=NEXT_MEETINGS):
    """The coming meetings held (in part) in public, soonest first."""
    upcoming = public_meetings().filter(starts_at__gte=timezone.now(), status=MeetingStatus.SCHEDULED)
    return upcoming.order_by("starts_at")[:limit]


def search_public_papers(query):
    """Published public papers whose title, meeting or body matches; built on `public_papers`,
    so a members-only, governors-only or confidential paper can never be found here."""
    return (
        public_papers()
        .filter(
            Q(title__icontains=query) | Q(meeting__title__icontains=query) | Q(meeting__body__name__icontains=query)
        )
        .order_by("-published_at")
    )


def latest_public_papers(limit):
    return public_papers().order_by("-published_at")[:limit]


def decided_motions(limit=DECIDED_MOTIONS):
    """Members' motions put to the vote, most recent first, with their totals (never who voted how)."""
    return published_motions().filter(status__in=DECIDED).order_by("-poll_closed_at", "-pk")[:limit]


def recent_election_results(limit=DECLARED_ELECTIONS):
    return declared_elections(limit)


PORTAL_PAPERS = 10


def portal_for(user, member):
    """What a member's portal shows, each part from the selector of the app that keeps it."""
    membership = current_membership(member)
    rules = current_rulebook()
    return {
        "member": member,
        "membership": membership,
        "ballots": list(ballots_for_member(member)),
        "motions": list(motions_for_member(member)) if membership else [],
        "written_resolutions": (
            list(written_resolutions_for_member(member)) if membership and rules.motions.written_resolutions else []
        ),
        "papers": recent_papers_for(user, limit=PORTAL_PAPERS),
        "representatives": list(representatives_of(member)),
        "questions": list(questions_asked_by(member)),
        "payment_rules": rules.payments,
    }
