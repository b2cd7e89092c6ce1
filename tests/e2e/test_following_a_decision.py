"""The company secretary follows one decision in the back office: from a members' motion to its
record entries (by readable label, each linked to the entry) and its field history, on to the
record filtered to that motion, and a CSV of its trail for an auditor. Signed in with a second factor, as staff
are; every page passes axe-core."""

import csv
import datetime
import io

from governance.motions.services import admit_motion, open_poll, propose_motion, support_motion
from records.models import Entry
from tests.e2e.steps import sign_in
from tests.factories.membership import MemberFactory, admitted
from tests.factories.motions import general_meeting

ON_REGISTER = datetime.date(2024, 1, 1)
TITLE = "Publish governors' attendance"


def a_motion_put_to_the_vote(secretary):
    meeting = general_meeting(title="Annual members' meeting")
    members = [admitted(MemberFactory(), on=ON_REGISTER).member for _ in range(6)]
    motion = propose_motion(meeting, members[0], title=TITLE, text="That the council publishes attendance yearly.")
    for member in members[1:]:
        motion = support_motion(motion, member)
    other = propose_motion(meeting, members[1], title="Hold meetings in the evening", text="That they start at 6pm.")
    assert other.pk != motion.pk
    return open_poll(admit_motion(motion, actor=secretary), actor=secretary)


def test_the_company_secretary_follows_a_motion_to_its_record_and_history_and_exports_it(
    page, make_user, assert_accessible
):
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    motion = a_motion_put_to_the_vote(secretary)
    entries = list(Entry.objects.filter(subject_type="motions.motion", subject_id=str(motion.pk)).order_by("sequence"))
    assert len(entries) >= 4

    sign_in(page, "secretary@example.org")
    page.goto("/admin/motion_admin/")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert_accessible(page)
    assert page.get_by_text("None", exact=True).count() == 0

    page.get_by_role("link", name="Record entries and history").click()
    page.get_by_role("heading", name="Record entries").wait_for()
    assert_accessible(page)
    listed = page.get_by_role("table", name="Record entries")
    for label in ("Motion proposed", "Motion submitted to the company secretary", "Motion admitted to the agenda"):
        assert listed.get_by_role("cell", name=label, exact=True).is_visible()
    assert listed.get_by_text("motion.admitted").count() == 0
    assert page.get_by_text("Hold meetings in the evening").count() == 0
    history = page.get_by_role("table", name="Field history")
    assert history.get_by_text("status: submitted → admitted").is_visible()

    admitted_entry = next(entry for entry in entries if entry.kind == "motion.admitted")
    listed.get_by_role("link", name=f"#{admitted_entry.sequence}").click()
    page.get_by_text(admitted_entry.hash).first.wait_for()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="These entries in the governance record").click()
    page.wait_for_url("**/admin/records/?*")
    assert_accessible(page)
    assert page.get_by_text("Hold meetings in the evening").count() == 0
    assert page.get_by_role("link", name=TITLE).count() == len(entries)
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this trail (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    recorded = [row for row in rows if row["source"].startswith("record entry")]
    assert [row["kind"] for row in recorded] == [entry.kind for entry in entries]
    assert [row["hash"] for row in recorded] == [entry.hash for entry in entries]
    assert any(row["source"] == "field history" and "admitted" in row["details"] for row in rows)
