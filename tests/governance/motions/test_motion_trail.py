"""Following one decision: from a motion in the back office to its record entries (readable, linked,
filtered to it), its field history, and a CSV of its trail for an auditor."""

import csv
import io
import re
from pathlib import Path

import pytest

from governance.motions.services import propose_motion, reject_motion, support_motion
from records.kinds import LABELS, label
from records.models import Entry

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def motion(meeting, members, secretary):
    motion = propose_motion(meeting, members[0], title="Publish governors' attendance", text="That the trust ...")
    for member in members[1:6]:
        motion = support_motion(motion, member)
    other = propose_motion(meeting, members[1], title="Another motion", text="That ...")
    assert other.pk != motion.pk
    return reject_motion(motion, reasons="Outside the members' powers under the constitution.", actor=secretary)


def test_the_motion_page_links_to_its_trail_and_shows_no_none(client, secretary, motion):
    client.force_login(secretary)
    page = client.get(f"/admin/motion_admin/inspect/{motion.pk}/").content.decode()
    assert f"/admin/record-trail/motions.motion/{motion.pk}/" in page
    assert not re.search(r">\s*None\s*<", page)


def test_the_company_secretary_may_open_the_motions_change_log(client, secretary, motion):
    client.force_login(secretary)
    assert client.get(f"/admin/motion_admin/history/{motion.pk}/").status_code == 200


def test_the_trail_lists_the_motions_entries_by_readable_label_and_its_field_history(client, secretary, motion):
    client.force_login(secretary)
    page = client.get(f"/admin/record-trail/motions.motion/{motion.pk}/").content.decode()
    assert "Motion submitted to the company secretary" in page and "Motion not admitted" in page
    assert "motion.submitted" not in page
    assert "Another motion" not in page
    assert "status: submitted → rejected" in page


def test_the_record_filters_to_one_subject_and_links_each_entry_to_it(client, secretary, motion):
    client.force_login(secretary)
    page = client.get("/admin/records/", {"subject_type": "motions.motion", "subject_id": motion.pk}).content
    page = page.decode()
    assert "Publish governors&#x27; attendance" in page and "Another motion" not in page
    assert f"/admin/record-trail/motions.motion/{motion.pk}/" in page
    assert "Motion not admitted" in page


def test_an_auditor_gets_one_subjects_trail_as_csv(client, secretary, motion):
    client.force_login(secretary)
    response = client.get(f"/admin/record-trail/motions.motion/{motion.pk}/", {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    kinds = [row["kind"] for row in rows if row["source"].startswith("record entry")]
    assert kinds == list(
        Entry.objects.filter(subject_type="motions.motion", subject_id=str(motion.pk)).values_list("kind", flat=True)
    )
    assert "motion.rejected" in kinds and any(row["source"] == "field history" for row in rows)
    assert all(row["hash"].startswith("sha256$") for row in rows if row["source"].startswith("record entry"))


def test_a_clerk_cannot_open_a_trail(client, make_user, motion):
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    assert client.get(f"/admin/record-trail/motions.motion/{motion.pk}/").status_code in (302, 403)


def test_every_kind_the_code_writes_has_a_readable_label():
    written = set()
    for source in ROOT.glob("*/**/*.py"):
        if ".venv" in source.parts or "tests" in source.parts or "migrations" in source.parts:
            continue
        written |= set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_.]+)"', source.read_text()))
    assert written, "no record kinds found: has record() been renamed?"
    assert sorted(kind for kind in written if kind not in LABELS) == []
    assert label("meeting.paper_published") == "Paper published"
    assert label("brand_new.kind_here") == "Brand new: kind here"
