"""Who may see a meeting and its papers, and who may change them.

A paper is confidential when it is marked for the body only or sits in the confidential part of
the agenda; only the body's office holders and its clerks ever see it. Drafts (unpublished
papers) are seen by the body's clerks alone. These predicates guard every URL that serves a
paper's file: the paper view, the combined pack and Wagtail's own document URL.
"""

from governance.bodies.permissions import is_clerk_of, is_governor, member_of, sits_on
from governance.meetings.models import AgendaPart, PaperVisibility
from membership.selectors import current_membership


def is_member(user):
    member = member_of(user)
    return member is not None and current_membership(member) is not None


def is_confidential(paper):
    in_confidential_part = paper.agenda_item is not None and paper.agenda_item.part == AgendaPart.CONFIDENTIAL
    return paper.visibility == PaperVisibility.BODY or in_confidential_part


def can_clerk_meeting(user, meeting):
    return is_clerk_of(user, meeting.body)


def can_see_meeting(user, meeting):
    return meeting.is_public or is_clerk_of(user, meeting.body) or sits_on(user, meeting.body)


def can_see_confidential_part(user, meeting):
    return is_clerk_of(user, meeting.body) or sits_on(user, meeting.body)


def can_see_paper(user, paper):
    body = paper.meeting.body
    if is_clerk_of(user, body):
        return True
    if not paper.is_published:
        return False
    if sits_on(user, body):
        return True
    if is_confidential(paper) or not paper.meeting.is_public:
        return False
    if paper.visibility == PaperVisibility.PUBLIC:
        return True
    if paper.visibility == PaperVisibility.MEMBERS:
        return is_member(user) or is_governor(user)
    return paper.visibility == PaperVisibility.GOVERNORS and is_governor(user)
