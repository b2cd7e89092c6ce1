"""Demo motions: the annual members' meeting with a motion seeking support, and (where the rulebook
provides for them) a written resolution in progress."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from config.demo import demo_email
from config.rulebooks import current as current_rulebook
from governance.bodies.demo import demo_member
from governance.bodies.models import Body
from governance.meetings.models import Meeting
from governance.motions.models import Motion, ResolutionKind, WrittenResolution
from governance.motions.services import propose_motion, support_motion
from governance.motions.written import circulate_written_resolution, reply_to_written_resolution


def seed(out):
    now = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0)
    general = Body.objects.get(slug="general-meeting")
    agm, _ = Meeting.objects.get_or_create(
        body=general,
        title="Annual members' meeting",
        defaults={"starts_at": now + datetime.timedelta(days=90), "location": "Northfield Town Hall"},
    )
    if not Motion.objects.filter(meeting=agm).exists():
        member_user = get_user_model().objects.filter(email=demo_email("Member")).first()
        proposer = demo_member("Joan", "Whitfield")
        motion = propose_motion(
            agm,
            proposer,
            title="Publish governors' attendance",
            text="That the council of governors publishes each governor's attendance at its meetings every year.",
        )
        for first, last in [("Samuel", "Boateng"), ("Lily", "Chen")]:
            support_motion(motion, demo_member(first, last))
        if member_user is not None:
            demo_member("Demo", "Member", user=member_user)
    out.write("Motions: the annual members' meeting, with a motion seeking support.")
    _written_resolution(out)


def _written_resolution(out):
    """Where the rulebook provides for them (a CIC), a written resolution circulated, with a few
    members' agreement in."""
    if not current_rulebook().motions.written_resolutions or WrittenResolution.objects.exists():
        return
    secretary = get_user_model().objects.filter(email=demo_email("Company secretary")).first()
    if secretary is None:
        return
    resolution = circulate_written_resolution(
        title="Change the company's name",
        text="That the company's name be changed to Northfield Community Health CIC.",
        kind=ResolutionKind.SPECIAL,
        actor=secretary,
    )
    for first, last in [("Samuel", "Boateng"), ("Lily", "Chen"), ("Joan", "Whitfield")]:
        reply_to_written_resolution(resolution, demo_member(first, last), agrees=True)
    out.write(f"  Written resolution circulated for agreement: /motions/written/{resolution.pk}/")
