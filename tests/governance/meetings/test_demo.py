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


@pytest.mark.django_db(transaction=True)
def test_seed_demo_mails_nobody_even_once_committed(settings, tmp_path, caplog):
    """Really committed (not the test's transaction), so what runs after commit runs as it would."""
    from cms.site import ensure_home_page
    from config.roles import sync_roles

    sync_roles()  # what the migrations made, emptied by any transactional test before this one
    ensure_home_page()
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "config.mail.TaskQueueEmailBackend"  # as deployed (pytest-django puts locmem here)
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "sent"

    call_command("seed_demo", stdout=io.StringIO())

    assert not (tmp_path / "sent").exists()  # the fictional people are never mailed
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # and no queued task failed
