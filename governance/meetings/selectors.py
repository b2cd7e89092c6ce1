"""Reads about meetings: what anyone may see, what one user may see, and whether a meeting is quorate."""

import math

from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from config.rulebooks import current as current_rulebook
from governance.bodies.models import Body, BodyKind
from governance.bodies.permissions import CLERK_PERMISSION, is_company_secretary
from governance.bodies.selectors import tenures_on
from governance.meetings.models import AgendaPart, Meeting, MeetingStatus, Minutes, Paper, PaperVisibility
from governance.meetings.permissions import can_see_paper
from membership.selectors import memberships_as_at


def bodies_clerked_by(user):
    """The bodies `user` clerks (guardian grants on each body; the Clerk role alone reaches none)."""
    return get_objects_for_user(user, CLERK_PERMISSION, klass=Body, accept_global_perms=False)


def bodies_handled_by(user):
    """The bodies whose meetings, agenda items and papers `user` handles in the back office: every
    body for the company secretary (who keeps the organisation's meetings), else those they clerk."""
    if user.is_superuser or is_company_secretary(user):
        return Body.objects.all()
    return bodies_clerked_by(user)


def public_meetings():
    """Meetings with a part held in public, newest first (cancelled ones included, marked as such)."""
    return Meeting.objects.filter(is_public=True).select_related("body").order_by("-starts_at")


def public_papers(meeting=None):
    """Published papers anyone may read: public visibility, in the public part of a public meeting."""
    papers = (
        Paper.objects.filter(published_at__isnull=False, visibility=PaperVisibility.PUBLIC, meeting__is_public=True)
        .filter(Q(agenda_item__isnull=True) | Q(agenda_item__part=AgendaPart.PUBLIC))
        .select_related("meeting", "meeting__body", "agenda_item", "document")
    )
    if meeting is not None:
        papers = papers.filter(meeting=meeting)
    return papers.order_by("meeting", "agenda_item__number", "pk")


def papers_in_agenda_order(meeting):
    return meeting.papers.select_related("agenda_item", "document", "meeting__body").order_by(
        "agenda_item__number", "pk"
    )


def visible_papers(user, meeting):
    """The meeting's papers `user` may read, in agenda order (papers outside the agenda last)."""
    papers = [paper for paper in papers_in_agenda_order(meeting) if can_see_paper(user, paper)]
    return sorted(papers, key=lambda paper: (paper.agenda_item is None, paper.agenda_item and paper.agenda_item.number))


def quorum_required(meeting, rules=None):
    """How many must be present for the meeting to be quorate, by the rulebook (Constitution (quorum)).

    A general meeting counts members on the register that day; any other body counts its seats
    filled that day. The larger of the fixed minimum and the fraction applies.
    """
    rules = rules or current_rulebook().meetings
    day = meeting.starts_at.date()
    if meeting.body.kind == BodyKind.GENERAL_MEETING:
        eligible = memberships_as_at(day).count()
        return max(rules.general_meeting_quorum_minimum, math.ceil(rules.general_meeting_quorum_fraction * eligible))
    filled = tenures_on(day).filter(seat__body=meeting.body).count()
    return max(rules.quorum_minimum, math.ceil(rules.quorum_fraction * filled))


def present_count(meeting):
    """Those present who count towards quorum: members on the register for a general meeting, the
    body's office holders otherwise."""
    day = meeting.starts_at.date()
    attendances = meeting.attendances.all()
    if meeting.body.kind == BodyKind.GENERAL_MEETING:
        return attendances.filter(member__memberships__in=memberships_as_at(day)).distinct().count()
    holders = tenures_on(day).filter(seat__body=meeting.body).values("holder_id")
    return attendances.filter(member_id__in=holders).count()


def is_quorate(meeting, rules=None):
    return present_count(meeting) >= quorum_required(meeting, rules)


def upcoming_general_meetings(today):
    return Meeting.objects.filter(
        body__kind=BodyKind.GENERAL_MEETING, status=MeetingStatus.SCHEDULED, starts_at__date__gte=today
    ).order_by("starts_at")


def recent_papers_for(user, limit=10, meetings=20):
    """The latest published papers `user` may read, from the most recent `meetings` meetings
    (newest first); each is checked with `can_see_paper`, as on the meeting's own page."""
    recent = Meeting.objects.exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at")[:meetings]
    papers = (
        Paper.objects.filter(published_at__isnull=False, meeting__in=list(recent))
        .select_related("meeting", "meeting__body", "agenda_item", "document")
        .order_by("-published_at", "-pk")
    )
    return [paper for paper in papers if can_see_paper(user, paper)][:limit]


def clerks_desk(bodies, now=None, meetings=5):
    """For a clerk of `bodies`: their next scheduled meetings (soonest first), the papers still in
    draft, and minutes drafted but not yet approved."""
    now = now or timezone.now()
    return {
        "next_meetings": list(
            Meeting.objects.filter(body__in=bodies, status=MeetingStatus.SCHEDULED, starts_at__gte=now)
            .select_related("body")
            .order_by("starts_at")[:meetings]
        ),
        "draft_papers": list(
            Paper.objects.filter(meeting__body__in=bodies, published_at__isnull=True)
            .select_related("meeting", "meeting__body")
            .order_by("meeting__starts_at", "pk")
        ),
        "draft_minutes": list(
            Minutes.objects.filter(meeting__body__in=bodies, approved_on__isnull=True)
            .select_related("meeting", "meeting__body")
            .order_by("meeting__starts_at")
        ),
    }
