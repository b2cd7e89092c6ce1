"""A governor's remit and readiness, and the dialogue with their constituency measured: training
against the rulebook (NHS Providers' core skills for a foundation trust, the organisation's own list
otherwise), answer times, reminders for questions left open, messages' reach, meetings with
members, and "you said, we did" reports back linked to questions and the board's decisions."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.rulebooks import NHS_PROVIDERS_GOVERNOR_CORE_SKILLS
from governance.bodies import engagement
from governance.bodies.engagement_figures import Period, engagement_of_constituency, nearest_rank, training_status
from governance.bodies.models import BodyKind, Question, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure, declare
from governance.meetings.services import record_decision
from records.models import Entry
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
JOINED = datetime.date(2024, 1, 1)


@pytest.fixture
def constituency():
    return ConstituencyFactory(name="Public: Northfield", slug="northfield")


@pytest.fixture
def council():
    return BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS, slug="council", name="Council of Governors")


@pytest.fixture
def governor(make_user, constituency, council):
    user = make_user("governor@example.org")
    holder = admitted(MemberFactory(user=user, first_name="Amara", last_name="Okafor"), constituency, on=JOINED).member
    seat = SeatFactory(
        body=council,
        constituency=constituency,
        name="Public governor, Northfield",
        remit="Represents people living in Northfield; asks the board about community services.",
        required_training="Safeguarding adults",
    )
    tenure = begin_tenure(seat, holder, started_on=TODAY - datetime.timedelta(days=100), basis=TenureBasis.ELECTED)
    return user, tenure


def asked(member, text, days_ago, answered_after_days=None, by=None):
    """A question asked `days_ago`, answered `answered_after_days` later by `by` (if given)."""
    question = engagement.ask_question(member, text)
    asked_at = timezone.now() - datetime.timedelta(days=days_ago)
    answered_at = asked_at + datetime.timedelta(days=answered_after_days) if answered_after_days is not None else None
    Question.objects.filter(pk=question.pk).update(
        asked_at=asked_at, answered_at=answered_at, answer="An answer." if answered_at else "", answered_by=by
    )
    return Question.objects.get(pk=question.pk)


def test_a_foundation_trust_governor_must_complete_the_core_skills_and_their_seats_own_course(governor):
    _, tenure = governor
    declare(tenure.holder, "training", "asking questions that test and challenge", declared_on=TODAY)

    status = training_status(tenure)

    names = [course.name for course in status.courses]
    assert names == [*NHS_PROVIDERS_GOVERNOR_CORE_SKILLS, "Safeguarding adults"]
    done = {course.name: course for course in status.courses if course.completed_on}
    assert list(done) == ["Asking questions that test and challenge"]
    # 100 days in office, 90 to complete the induction: the five others are overdue
    assert status.overdue == 5 and status.summary == "1 of 6 courses complete; 5 overdue"


def test_another_organisation_requires_only_its_own_list(settings, governor):
    settings.ORGANISATION_TYPE = "cooperative"
    _, tenure = governor
    assert [course.name for course in training_status(tenure).courses] == ["Safeguarding adults"]


def test_the_register_and_the_governors_page_show_remit_and_training(client, governor):
    _, tenure = governor
    for course in NHS_PROVIDERS_GOVERNOR_CORE_SKILLS:
        declare(tenure.holder, "training", course, declared_on=TODAY)

    register = client.get(reverse("bodies:governors")).content.decode()
    assert "5 of 6 courses complete; 1 overdue" in register
    own_page = client.get(reverse("bodies:governor", args=[tenure.holder_id])).content.decode()
    assert "5 of 6 courses complete; 1 overdue" in own_page
    assert "asks the board about community services" in own_page
    assert "Safeguarding adults: overdue since" in own_page


def test_answer_times_give_the_median_and_the_90th_percentile_by_nearest_rank(governor, constituency):
    _, tenure = governor
    member = admitted(MemberFactory(), constituency, on=JOINED).member
    answer_days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30]
    for number, days in enumerate(answer_days):
        asked(member, f"Question {number}", days_ago=60, answered_after_days=days, by=tenure.holder)
    asked(member, "Still waiting", days_ago=20)
    asked(member, "Asked yesterday", days_ago=1)

    figures = engagement_of_constituency(constituency, Period.ending(days=90))

    assert figures.questions_asked == 12 and figures.questions_answered == 10
    assert figures.median_days_to_answer == 5.5
    assert figures.p90_days_to_answer == 9.0  # the 9th of 10, not the slowest
    assert figures.answered_late == 1  # 30 days > the rulebook's 14
    assert figures.open_past_answer_time == 1


def test_nearest_rank_of_a_single_value_is_that_value():
    assert nearest_rank([3.0], 0.9) == 3.0


def test_reach_meetings_and_reports_back_move_the_constituencys_figures(
    governor, constituency, django_capture_on_commit_callbacks
):
    user, tenure = governor
    admitted(MemberFactory(email="ed@example.org"), constituency, on=JOINED)
    admitted(MemberFactory(post_only=True), constituency, on=JOINED)
    engagement.unsubscribe(admitted(MemberFactory(email="oo@example.org"), constituency, on=JOINED).member)
    before = engagement_of_constituency(constituency)

    with django_capture_on_commit_callbacks(execute=True):
        engagement.send_constituency_message(tenure, subject="Spring", text="News.", actor=user)
    engagement.record_constituency_meeting(
        tenure, title="Members' evening", held_on=TODAY, members_attending=23, actor=user
    )
    engagement.publish_report_back(tenure, title="Parking", raised="Parking.", done="More spaces.", actor=user)
    after = engagement_of_constituency(constituency)

    assert (before.messages_sent, before.meetings_held, before.report_backs) == (0, 0, 0)
    assert after.messages_sent == 1
    assert (after.reached_by_email, after.reached_by_post, after.opted_out) == (2, 1, 1)  # the governor and Ed
    assert (after.meetings_held, after.members_at_meetings, after.report_backs) == (1, 23, 1)
    assert Entry.objects.filter(kind="engagement.constituency_meeting").exists()


def test_a_question_open_past_the_answer_time_reminds_the_governor_and_the_clerk_once_per_interval(
    make_user, governor, constituency, council, mailoutbox
):
    _, tenure = governor
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(council, clerk)
    member = admitted(MemberFactory(), constituency, on=JOINED).member
    waiting = asked(member, "Why did the clinic close?", days_ago=15)
    asked(member, "Not yet late", days_ago=3)
    asked(member, "Answered late", days_ago=30, answered_after_days=20, by=tenure.holder)

    out = io.StringIO()
    call_command("remind_unanswered_questions", stdout=out)

    assert "about 1 question" in out.getvalue()
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted([tenure.holder.email, "clerk@example.org"])
    assert all("Why did the clinic close?" in mail.body for mail in mailoutbox)
    assert reverse("bodies:answer", args=[waiting.pk]) in mailoutbox[0].body
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 1

    call_command("remind_unanswered_questions", stdout=io.StringIO())
    assert len(mailoutbox) == 2  # not again within the rulebook's interval
    Question.objects.filter(pk=waiting.pk).update(reminded_at=timezone.now() - datetime.timedelta(days=8))
    call_command("remind_unanswered_questions", stdout=io.StringIO())
    assert len(mailoutbox) == 4


def test_a_report_back_links_its_constituencys_questions_and_the_boards_decisions(
    client, make_user, governor, constituency
):
    user, tenure = governor
    member = admitted(MemberFactory(), constituency, on=JOINED).member
    published = asked(member, "Can the car park open earlier?", days_ago=10, answered_after_days=2, by=tenure.holder)
    Question.objects.filter(pk=published.pk).update(published=True)
    private = asked(member, "My own appointment was cancelled", days_ago=10, answered_after_days=2, by=tenure.holder)
    elsewhere = asked(admitted(MemberFactory(), on=JOINED).member, "Elsewhere", days_ago=5)
    board = BodyFactory(kind=BodyKind.BOARD, slug="board", name="Board of Directors")
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(board, clerk)
    decision = record_decision(MeetingFactory(body=board), "Open the car park at 6am", actor=clerk)
    council_clerk = make_user("council-clerk@example.org", mfa=True)
    appoint_clerk(tenure.seat.body, council_clerk)
    not_the_board = record_decision(MeetingFactory(body=tenure.seat.body), "Agree the agenda", actor=council_clerk)

    with pytest.raises(ValidationError, match="Northfield"):
        engagement.publish_report_back(tenure, title="T", raised="R", done="D", questions=[elsewhere], actor=user)
    with pytest.raises(ValidationError, match="board"):
        engagement.publish_report_back(tenure, title="T", raised="R", done="D", decisions=[not_the_board], actor=user)
    with pytest.raises(PermissionDenied):
        engagement.publish_report_back(tenure, title="T", raised="R", done="D", actor=make_user("x@example.org"))

    client.force_login(user)
    form = client.get(reverse("bodies:report_back_new")).content.decode()
    assert "Open the car park at 6am" in form and "Agree the agenda" not in form
    response = client.post(
        reverse("bodies:report_back_new"),
        {
            "tenure": tenure.pk,
            "title": "Parking at the hospital",
            "raised": "You said the car park opens too late for early shifts.",
            "done": "The board agreed to open it at 6am.",
            "questions": [published.pk, private.pk],
            "decisions": [decision.pk],
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(kind="engagement.report_back_published")
    assert entry.payload["decisions"] == [decision.sequence]

    client.logout()
    page = client.get(response.url).content.decode()
    assert "Can the car park open earlier?" in page and "My own appointment" not in page
    assert "1 question answered privately" in page
    assert f"Entry #{decision.sequence}" in page and "Open the car park at 6am" in page
    assert member.full_name not in page
