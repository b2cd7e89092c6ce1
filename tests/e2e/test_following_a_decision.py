"""The company secretary follows one decision: a motion, to its record entries and history, and exports its
trail for an auditor. Every page passes axe-core."""

import datetime

from django.test import Client

from governance.motions.services import propose_motion, reject_motion, support_motion
from tests.factories.membership import admitted
from tests.factories.motions import general_meeting


def signed_in_with_two_factors(page, live_server, user):
    """The back office asks staff for a second factor; sign in as someone who has given it."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_secretary_follows_a_motion_to_its_record_and_history_and_exports_its_trail(
    page, live_server, make_user, assert_accessible
):
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    members = [admitted(on=datetime.date(2024, 1, 1)).member for _ in range(6)]
    motion = propose_motion(general_meeting(), members[0], title="Publish governors' attendance", text="That ...")
    for member in members[1:6]:
        motion = support_motion(motion, member)
    reject_motion(motion, reasons="Outside the members' powers.", actor=secretary)
    signed_in_with_two_factors(page, live_server, secretary)

    page.goto(f"/admin/motion_admin/inspect/{motion.pk}/")
    assert page.get_by_text("Outside the members' powers.").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record entries and history").click()
    page.wait_for_url(f"**/admin/record-trail/motions.motion/{motion.pk}/")
    assert page.get_by_role("cell", name="Motion not admitted").is_visible()
    assert page.get_by_role("cell", name="Motion submitted to the company secretary").is_visible()
    assert page.get_by_text("status: submitted → rejected").is_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this trail (CSV)").click()
    trail = open(download.value.path(), encoding="utf-8").read()
    assert "motion.rejected" in trail and "Outside the members" in trail

    page.locator("table a").first.click()
    page.wait_for_url("**/admin/records/inspect/**")
    assert_accessible(page)
