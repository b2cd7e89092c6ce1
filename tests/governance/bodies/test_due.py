"""What falls due for office holders: yearly Fit and Proper Person attestations for directors, each seat's
required training (induction, then refreshers), term ends; on the registers, the holder's page and in the
daily check emailed to the company secretary."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.bodies.due import due_for, falling_due
from governance.bodies.models import BodyKind, Declaration, SeatKind, TenureBasis
from governance.bodies.services import begin_tenure, declare
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def director():
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    seat = SeatFactory(
        body=board,
        name="Finance director",
        kind=SeatKind.EX_OFFICIO,
        constituency=None,
        remit="Financial planning, audit and the annual accounts.",
        required_training="Safeguarding level 3\nFinancial governance",
    )
    holder = MemberFactory(first_name="Ruth", last_name="Adeyemi")
    tenure = begin_tenure(
        seat, holder, started_on=TODAY - 80 * DAY, term_ends_on=TODAY + 20 * DAY, basis=TenureBasis.EX_OFFICIO
    )
    # Attested 11 months and 20 days ago: due again in about ten days.
    declare(holder, Declaration.Kind.FIT_AND_PROPER, "Attested", declared_on=TODAY - 355 * DAY)
    declare(holder, Declaration.Kind.TRAINING, "Safeguarding level 3", declared_on=TODAY - 70 * DAY)
    return tenure


def test_a_directors_attestation_training_and_term_end_fall_due_by_the_rulebook(director):
    due = {item.what: item for item in due_for(director)}
    attested = TODAY - 355 * DAY
    assert due["Fit and Proper Person attestation"].due_on == attested.replace(year=attested.year + 1)
    # Not yet done: due within the induction period (90 days) of taking office.
    assert due["Training: Financial governance (induction)"].due_on == TODAY + 10 * DAY
    # Done: refreshed after the rulebook's 36 months.
    assert due["Training: Safeguarding level 3 (refresher)"].due_on.year == (TODAY - 70 * DAY).year + 3
    assert due["Term ends"].due_on == TODAY + 20 * DAY


def test_a_governor_makes_no_fit_and_proper_attestation(director):
    council = BodyFactory(name="Council of Governors", slug="council", kind=BodyKind.COUNCIL_OF_GOVERNORS)
    tenure = begin_tenure(SeatFactory(body=council), MemberFactory(), started_on=TODAY, basis=TenureBasis.ELECTED)
    assert not any("Fit and Proper" in item.what for item in due_for(tenure))


def test_the_daily_check_emails_the_company_secretary_what_falls_due_in_30_days(director, make_user, settings):
    make_user("secretary@example.org", roles=["Company secretary"])
    out = io.StringIO()
    call_command("term_limits", stdout=out)
    assert sorted(item.what for item in falling_due()) == [
        "Fit and Proper Person attestation",
        "Term ends",
        "Training: Financial governance (induction)",
    ]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["secretary@example.org"]
    body = mail.outbox[0].body
    assert "Ruth Adeyemi (Finance director" in body and "Financial governance (induction), due" in body
    assert "Safeguarding level 3 (refresher)" not in body  # years away
    assert "Ruth Adeyemi" in out.getvalue()


def test_the_register_shows_what_falls_due_and_the_seats_remit(client, director):
    page = client.get(reverse("bodies:directors")).content.decode()
    assert "Financial planning, audit and the annual accounts." in page
    assert "Fit and Proper Person attestation: due" in page


def test_the_register_hides_due_dates_where_the_rulebook_keeps_them_private(client, director, settings):
    settings.RULEBOOK_OVERRIDES = {"office": {"publish_due_dates": False}}
    assert "Fit and Proper Person attestation" not in client.get(reverse("bodies:directors")).content.decode()


def test_the_holders_page_in_the_back_office_shows_what_is_due(client, make_user, director):
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))
    page = client.get(f"/admin/tenure_admin/inspect/{director.pk}/").content.decode()
    assert "What is due" in page and "Training: Financial governance (induction): due" in page
    assert "Financial planning, audit" in page
