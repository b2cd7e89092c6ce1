import datetime

from django.utils import timezone

from governance.bodies.models import BodyKind
from tests.factories.bodies import BodyFactory
from tests.factories.meetings import MeetingFactory


def general_meeting(days_ahead=60, **kwargs):
    """A scheduled general meeting of members, far enough ahead for motions by default."""
    body = BodyFactory(name="General meeting of members", slug="general-meeting", kind=BodyKind.GENERAL_MEETING)
    return MeetingFactory(
        body=body,
        title=kwargs.pop("title", "Annual members' meeting"),
        starts_at=timezone.now() + datetime.timedelta(days=days_ahead),
        **kwargs,
    )
