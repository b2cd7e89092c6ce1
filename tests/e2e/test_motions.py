import datetime

from governance.motions.models import Motion, MotionStatus
from governance.motions.services import admit_motion, open_poll, support_motion
from tests.e2e.steps import sign_in
from tests.factories.membership import MemberFactory, admitted
from tests.factories.motions import general_meeting

ON_REGISTER = datetime.date(2024, 1, 1)


def test_a_member_proposes_supports_and_votes_on_a_motion(page, make_user, assert_accessible):
    meeting = general_meeting(title="Annual members' meeting")
    proposer = admitted(MemberFactory(user=make_user("proposer@example.org")), on=ON_REGISTER).member
    supporter = admitted(MemberFactory(user=make_user("supporter@example.org")), on=ON_REGISTER).member
    others = [admitted(on=ON_REGISTER).member for _ in range(4)]
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)

    sign_in(page, "proposer@example.org")
    page.goto("/motions/")
    assert_accessible(page)
    page.get_by_role("link", name="Propose a motion").click()
    page.get_by_label("Short title").fill("Publish governors' attendance")
    page.get_by_label("The motion").fill("That the council publishes each governor's attendance every year.")
    page.get_by_label("Ordinary resolution").check()
    assert_accessible(page)
    page.get_by_role("button", name="Propose").click()
    assert page.get_by_text("It needs 5 members to support it").is_visible()
    assert_accessible(page)
    motion = Motion.objects.get(meeting=meeting, proposer=proposer)

    for member in others:
        support_motion(motion, member)
    sign_in(page, "supporter@example.org")
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_role("button", name="Support this motion").click()
    assert page.get_by_text("You support this motion").is_visible()
    motion.refresh_from_db()
    assert motion.status == MotionStatus.SUBMITTED

    open_poll(admit_motion(motion, actor=secretary), actor=secretary)
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_role("button", name="Submit your vote").click()
    assert page.get_by_text("Choose for, against or abstain").first.is_visible()
    page.get_by_label("For", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Submit your vote").click()
    assert page.get_by_text("your vote is counted").is_visible()
    assert motion.votes.get(member=supporter).choice == "for"
    assert page.get_by_role("button", name="Submit your vote").count() == 0


def test_a_member_agrees_to_a_written_resolution_by_keyboard(page, make_user, assert_accessible, settings):
    from governance.motions.written import circulate_written_resolution

    settings.ORGANISATION_TYPE = "cic"
    member = admitted(MemberFactory(user=make_user("member@example.org")), on=ON_REGISTER).member
    admitted(on=ON_REGISTER)
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    resolution = circulate_written_resolution(
        title="Adopt new articles", text="That the draft articles be adopted.", kind="special", actor=secretary
    )

    sign_in(page, "member@example.org")
    page.goto("/motions/")
    page.get_by_role("link", name="Written resolutions").click()
    page.get_by_role("link", name="Adopt new articles").click()
    assert page.get_by_text("0 of the 2 agreements needed").is_visible()
    assert_accessible(page)
    page.get_by_label("I agree to this resolution").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Send my reply").focus()
    page.keyboard.press("Enter")

    page.get_by_text("your agreement is counted").wait_for()
    assert page.get_by_text("1 of the 2 agreements needed").is_visible()
    assert_accessible(page)
    assert resolution.replies.get().member == member


def test_the_secretary_decides_a_resolution_members_required_and_the_company_pages_pass_axe(
    page, make_user, assert_accessible, settings
):
    import datetime as dt

    from governance.bodies.models import SignificantControl
    from governance.motions.models import WrittenResolutionStatus
    from governance.motions.written import propose_written_resolution

    settings.ORGANISATION_TYPE = "cic"
    proposer = admitted(on=ON_REGISTER).member
    make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    resolution = propose_written_resolution(
        proposer, title="Publish pay ratios", text="That the company publishes its pay ratios.", kind="ordinary"
    )
    assert resolution.status == WrittenResolutionStatus.REQUESTED  # one member is 5% of a register of one
    SignificantControl.objects.create(
        name="Northfield Staff Trust Ltd",
        is_legal_entity=True,
        service_address="1 Mill Lane, Northfield",
        nature="votes",
        registrable_on=dt.date(2024, 4, 1),
    )

    page.goto("/governance/significant-control/")
    assert page.get_by_text("Northfield Staff Trust Ltd").is_visible()
    assert_accessible(page)

    sign_in(page, "secretary@example.org")
    page.goto(f"/motions/written/{resolution.pk}/")
    assert page.get_by_text("To be circulated by").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Do not circulate").click()
    page.get_by_text("Give the reasons").first.wait_for()
    page.get_by_label("Reasons for not circulating it").fill("It would be ineffective: the articles reserve this.")
    page.get_by_role("button", name="Do not circulate").click()
    page.get_by_text("Not circulated; the reasons are shown").wait_for()
    assert page.get_by_text("the articles reserve this").first.is_visible()
    assert_accessible(page)
