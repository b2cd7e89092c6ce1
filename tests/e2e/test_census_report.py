"""The census and the annual membership report, by browser: the membership officer loads the
published sample files, a member answers the census questions on their details page, and the
report shows the gap between members and the people served, suppressing small cells, and passes
axe; its PDF has real text."""

import datetime
from pathlib import Path

from membership.models import CensusAnswers
from tests.e2e.steps import sign_in
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted
from tests.pdf_checks import assert_accessible_pdf

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "census"
FILES = (
    "census2021-ts021-lsoa.csv",
    "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
    "onspd-hartlepool-sample.csv",
)
IRISH = "White: Irish"


def test_the_officer_loads_the_census_a_member_answers_and_the_report_shows_the_gap(
    page, browser, live_server, make_user, assert_accessible
):
    area = AreaFactory(
        constituency=ConstituencyFactory(name="Public: Hartlepool"),
        postcode_districts="TS24 TS25 TS26 TS27",
        census_codes="E06000001",
    )
    for _ in range(11):  # with the member who answers below, 12 Irish members: enough to be shown
        member = admitted(MemberFactory(postcode="TS24 7AA"), area.constituency, on=datetime.date(2024, 1, 1)).member
        CensusAnswers.objects.create(member=member, ethnic_group=IRISH, consented_on=datetime.date(2024, 1, 1))
    user = make_user("ada@example.org")
    admitted(MemberFactory(user=user, postcode="TS25 1CC"), area.constituency, on=datetime.date(2024, 1, 1))
    officer = make_user("officer@example.org", roles=["Membership officer"], mfa=True)

    sign_in(page, officer.email)
    page.goto("/admin/membership_representativeness/")
    for name in FILES:
        page.get_by_label("A published file (CSV)").set_input_files(str(SAMPLES / name))
        page.get_by_role("button", name="Load the file").click()
        page.wait_for_selector(f"text={name}:")
    page.goto("/admin/membership_representativeness/")  # axe on the page itself, not a message fading in
    assert_accessible(page)

    # The member, in a browser of their own (the officer stays signed in: a second factor's code
    # is good once).
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    member_page = context.new_page()
    sign_in(member_page, user.email)
    member_page.goto("/members/me/details/")
    member_page.get_by_label("What is your ethnic group? (optional)").select_option(IRISH)
    member_page.get_by_label("What is your sex? (optional)").select_option("Prefer not to say")
    member_page.get_by_label("I agree to you keeping these answers about me").check()
    member_page.get_by_role("button", name="Save your answers").click()
    member_page.wait_for_selector("text=Your answers have been saved")
    assert_accessible(member_page)
    context.close()

    page.goto("/admin/annual_membership_report/")
    row = page.locator("table.gap-table", has_text="Ethnic group: Public: Hartlepool").locator("tr", has_text=IRISH)
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "12" and float(cells[3]) > 80  # 12 of 12 who answered, against the census's share
    sex = page.locator("table.gap-table", has_text="Sex: Public: Hartlepool").locator(
        "tr", has_text="Prefer not to say"
    )
    assert sex.locator("td").first.inner_text() == "fewer than 10"
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    title = f"Annual membership report: year ending {datetime.date.today():%-d %B %Y}"
    assert IRISH in assert_accessible_pdf(pdf, title=title, language="en-GB")
