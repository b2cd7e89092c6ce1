"""The membership office moves a member to another constituency by keyboard, on a 320 px screen:
a move the rules refuse says why, in an alert, and the move that follows them is made."""

from membership.models import Membership
from tests.e2e.steps import sign_in
from tests.e2e.test_forms_by_keyboard import tab_to
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted


def test_the_officer_moves_a_member_by_keyboard_and_hears_why_a_move_is_refused(page, make_user, assert_accessible):
    north = AreaFactory(postcode_districts="NF1", constituency=ConstituencyFactory(name="Public: North")).constituency
    AreaFactory(postcode_districts="SF1", constituency=ConstituencyFactory(name="Public: South"))
    AreaFactory(postcode_districts="WF1", constituency=ConstituencyFactory(name="Public: West"))
    member = admitted(MemberFactory(first_name="Ada", last_name="Byron", postcode="SF1 1AA"), north).member
    officer = make_user("officer@example.org", roles=["Membership officer"], mfa=True)
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, officer.email)
    page.goto(f"/admin/membership_members/transfer/{member.pk}/")
    assert_accessible(page)

    def move_to(constituency):
        destination = page.get_by_label("Move them to")
        tab_to(page, destination)
        page.keyboard.type(constituency)  # a select takes the option whose label is typed
        tab_to(page, page.get_by_label("Why they are moving"))
        page.keyboard.type("Moved house")
        tab_to(page, page.get_by_role("button", name="Move them"))
        with page.expect_navigation():
            page.keyboard.press("Enter")

    move_to("Public: West")
    alert = page.get_by_role("alert")
    assert "SF1 1AA is not in an area the Public: West constituency covers" in alert.inner_text()
    assert_accessible(page)

    move_to("Public: South")
    page.wait_for_selector("text=Ada Byron is now in the Public: South constituency")
    assert Membership.objects.get(member=member, ceased_on__isnull=True).constituency.name == "Public: South"
