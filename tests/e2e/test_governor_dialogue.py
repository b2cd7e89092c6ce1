"""A member asks their governors a question; it waits past the rulebook's answer time, so the
daily check reminds the governor and the council's clerk by email; the governor answers (late),
publishes the answer and a "you said, we did" report back linked to the question and to the
board's decision in the record; the constituency's published figures move. The governor's own page
and the public register show their remit and training as the rulebook requires. Every page
passes axe-core."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from config.rulebooks import NHS_PROVIDERS_GOVERNOR_CORE_SKILLS
from governance.bodies.models import BodyKind, Question, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure, declare
from governance.meetings.services import record_decision
from tests.e2e.steps import sign_in
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

JOINED = datetime.date(2024, 1, 1)
QUESTION = "Why does the car park open so late for early shifts?"
DECISION = "Open the car park at 6am from April"


def a_council_with_a_governor_and_a_board_decision(make_user):
    northfield = ConstituencyFactory(name="Public: Northfield", slug="northfield")
    council = BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS, slug="council", name="Council of Governors")
    governor = make_user("amara@example.org")
    holder = admitted(
        MemberFactory(user=governor, email="amara@example.org", first_name="Amara", last_name="Okafor"),
        northfield,
        on=JOINED,
    )
    seat = SeatFactory(
        body=council,
        constituency=northfield,
        name="Public governor, Northfield",
        remit="Represents people living in Northfield and asks the board about services close to home.",
        required_training="Safeguarding adults",
    )
    today = timezone.localdate()
    tenure = begin_tenure(
        seat, holder.member, started_on=today - datetime.timedelta(days=100), basis=TenureBasis.ELECTED
    )
    for course in NHS_PROVIDERS_GOVERNOR_CORE_SKILLS:
        declare(holder.member, "training", course, declared_on=today - datetime.timedelta(days=30))
    appoint_clerk(council, make_user("clerk@example.org", mfa=True))
    board = BodyFactory(kind=BodyKind.BOARD, slug="board", name="Board of Directors")
    board_clerk = make_user("board-clerk@example.org", mfa=True)
    appoint_clerk(board, board_clerk)
    record_decision(MeetingFactory(body=board, title="Board meeting"), DECISION, actor=board_clerk)
    asker = make_user("ruth@example.org")
    admitted(MemberFactory(user=asker, first_name="Ruth", last_name="Brennan"), northfield, on=JOINED)
    return tenure


def figure(page, section, label):
    page.goto("/governance/engagement/")
    region = page.get_by_role("region", name=section)
    return region.locator(".govuk-summary-list__row", has_text=label).locator("dd").inner_text()


def test_a_question_answered_late_is_reminded_then_reported_back_and_the_figures_move(
    page, make_user, assert_accessible
):
    tenure = a_council_with_a_governor_and_a_board_decision(make_user)
    assert figure(page, "Public: Northfield", "Questions asked") == "0"
    assert_accessible(page)

    sign_in(page, "ruth@example.org")
    page.goto("/governance/questions/")
    page.get_by_label("Your question to your governors").fill(QUESTION)
    page.get_by_role("button", name="Send your question").click()
    page.get_by_text("Your question is with your governors.").wait_for()
    assert_accessible(page)
    assert figure(page, "Public: Northfield", "Questions asked") == "1"

    # Fifteen days pass without an answer; the daily check sends its reminders.
    Question.objects.update(asked_at=timezone.now() - datetime.timedelta(days=15))
    call_command("remind_unanswered_questions", stdout=io.StringIO())
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "amara@example.org",
        "clerk@example.org",
    ]
    assert figure(page, "Public: Northfield", "Open past 14 days") == "1"

    sign_in(page, "amara@example.org")
    page.goto(f"/governance/governors/{tenure.holder_id}/")
    waiting = page.get_by_role("list", name="Waiting for your answer")
    assert waiting.get_by_text("Past the answer time").is_visible()
    assert page.get_by_text("5 of 6 courses complete; 1 overdue").is_visible()
    assert_accessible(page)
    waiting.get_by_role("link", name="Answer").click()
    page.get_by_label("Your answer").fill("The board has agreed to open it at 6am from April.")
    page.get_by_label("Publish the question and answer").check()
    page.get_by_role("button", name="Save answer").click()
    page.get_by_text("Your answer is saved.").wait_for()

    page.goto(f"/governance/governors/{tenure.holder_id}/")
    page.get_by_role("link", name="Publish a report back").click()
    page.get_by_label("Title").fill("Parking for early shifts")
    page.get_by_label("You said").fill("You said the car park opens too late for staff and patients on early shifts.")
    page.get_by_label("We did").fill("I raised it with the board, which agreed to open it at 6am.")
    page.get_by_label(QUESTION).check()
    page.get_by_label(DECISION).check()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the report").click()
    page.get_by_role("heading", name="Parking for early shifts").wait_for()
    assert page.get_by_text(QUESTION).is_visible()
    assert page.get_by_text(DECISION).is_visible()
    assert page.get_by_text("Ruth").count() == 0
    assert_accessible(page)

    page.context.clear_cookies()
    assert figure(page, "Public: Northfield", "Questions answered") == "1 (1 later than 14 days)"
    assert figure(page, "Public: Northfield", "Time to answer") == "median 15.0 days; 90% within 15.0 days"
    assert figure(page, "Public: Northfield", "Open past 14 days") == "0"
    assert figure(page, "Public: Northfield", "Reports back") == "1"
    assert_accessible(page)

    page.goto("/governance/governors/")
    register = page.get_by_role("region", name="Public: Northfield")
    assert register.get_by_text("5 of 6 courses complete; 1 overdue").is_visible()
    assert register.get_by_text("Safeguarding adults: overdue since").is_visible()
    assert register.get_by_text("services close to home").is_visible()
    assert_accessible(page)
    register.get_by_role("link", name="Amara Okafor").click()
    page.get_by_role("heading", name="Amara Okafor").wait_for()
    assert page.get_by_text("Past the answer time").count() == 0  # a visitor sees no one's waiting questions
    assert page.get_by_role("link", name="Parking for early shifts").is_visible()
