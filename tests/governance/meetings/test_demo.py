import io

import pytest
from django.core.management import call_command

from governance.bodies.models import Body, Tenure
from governance.meetings.models import Meeting, Paper
from governance.motions.models import Motion, MotionStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_bodies_meetings_and_a_motion_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Body.objects.count(), Tenure.objects.count(), Meeting.objects.count(), Paper.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Body.objects.count(), Tenure.objects.count(), Meeting.objects.count(), Paper.objects.count()) == counts
    assert counts[0] == 5 and counts[3] > 0
    assert Meeting.objects.filter(minutes__approved_on__isnull=False).count() == 2
    assert Motion.objects.get().status == MotionStatus.SEEKING_SUPPORT
