import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from config.rulebooks import OfficeRules
from governance.bodies.models import BodyKind, Declaration, TenureBasis
from governance.bodies.permissions import is_clerk_of, is_governor
from governance.bodies.selectors import current_office_holders, term_limit_warnings
from governance.bodies.services import appoint_clerk, begin_tenure, declare, end_tenure, remove_clerk
from records.models import Entry
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db

NINE_YEAR_LIMIT = OfficeRules(term_years=3, maximum_years=9, warn_months_before_limit=6)


def served(holder, seat_body, terms):
    """`holder` serves consecutive three-year terms from 1 April 2016 on seats of `seat_body`."""
    start = datetime.date(2016, 4, 1)
    tenure = None
    for term in range(terms):
        began = start.replace(year=start.year + 3 * term)
        tenure = begin_tenure(SeatFactory(body=seat_body), holder, started_on=began, basis=TenureBasis.ELECTED)
        if term < terms - 1:
            end_tenure(tenure, ended_on=began.replace(year=began.year + 3), reason="Term ended; re-elected")
    return tenure


def test_a_governor_nearing_nine_years_is_warned_before_the_limit():
    council = BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS)
    tenure = served(MemberFactory(), council, terms=3)
    limit = datetime.date(2025, 4, 1)

    assert term_limit_warnings(on=datetime.date(2024, 9, 1), rules=NINE_YEAR_LIMIT) == []
    assert term_limit_warnings(on=datetime.date(2024, 11, 1), rules=NINE_YEAR_LIMIT) == [(tenure, limit)]


def test_a_governor_in_a_second_term_is_not_warned():
    council = BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS)
    served(MemberFactory(), council, terms=2)
    assert term_limit_warnings(on=datetime.date(2021, 1, 1), rules=NINE_YEAR_LIMIT) == []


def test_time_on_another_kind_of_body_does_not_count_towards_the_limit():
    served(MemberFactory(), BodyFactory(kind=BodyKind.BOARD, slug="board"), terms=3)
    assert term_limit_warnings(on=datetime.date(2024, 11, 1), rules=OfficeRules(maximum_years=20)) == []


def test_current_office_holders_lists_tenures_in_force_with_seat_and_holder():
    body = BodyFactory()
    day = datetime.date(2025, 1, 1)
    current = begin_tenure(SeatFactory(body=body, name="A seat"), MemberFactory(), started_on=day, basis="elected")
    former = begin_tenure(SeatFactory(body=body, name="B seat"), MemberFactory(), started_on=day, basis="elected")
    end_tenure(former, ended_on=datetime.date(2025, 6, 1), reason="Resigned")
    assert list(current_office_holders(body, on=datetime.date(2025, 7, 1))) == [current]
    assert list(current_office_holders(body, on=datetime.date(2025, 5, 1))) == [current, former]


def test_appointing_a_clerk_grants_this_body_only_and_is_recorded(make_user):
    council, board = BodyFactory(slug="council"), BodyFactory(slug="board", kind=BodyKind.BOARD)
    user = make_user("clerk@example.org")
    appoint_clerk(council, user)
    assert is_clerk_of(user, council) and not is_clerk_of(user, board)
    assert user.groups.filter(name="Clerk").exists()
    remove_clerk(council, user)
    user = type(user).objects.get(pk=user.pk)  # a fresh user: permission caches are per instance
    assert not is_clerk_of(user, council)
    assert [e.kind for e in Entry.objects.all()] == ["office.clerk_appointed", "office.clerk_removed"]


def test_a_governor_holds_a_current_council_seat(make_user):
    user = make_user("gov@example.org")
    assert not is_governor(user)
    begin_tenure(
        SeatFactory(body=BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS)),
        MemberFactory(user=user),
        started_on=datetime.date(2024, 1, 1),
        basis="elected",
    )
    assert is_governor(user)


def test_the_public_register_of_governors_shows_their_declared_interests(client):
    holder = MemberFactory(first_name="Amara", last_name="Okafor")
    council = BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS)
    begin_tenure(SeatFactory(body=council), holder, started_on=datetime.date(2024, 1, 1), basis="elected")
    declare(
        holder, Declaration.Kind.INTEREST, "Trustee, Northfield Carers' Network", declared_on=datetime.date(2024, 2, 1)
    )
    declare(holder, Declaration.Kind.TRAINING, "Governwell core skills", declared_on=datetime.date(2024, 3, 1))

    page = client.get(reverse("bodies:governors")).content.decode()
    assert "Amara Okafor" in page and "Northfield Carers" in page
    assert "Governwell" not in page  # training records are kept, not published on the register
    assert Entry.objects.filter(kind="office.declared.interest").exists()


def test_the_term_limits_command_names_who_nears_the_limit(settings):
    settings.RULEBOOK_OVERRIDES = {"office": {"maximum_years": 9, "warn_months_before_limit": 120}}
    served(
        MemberFactory(first_name="Gareth", last_name="Lloyd"), BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS), terms=3
    )
    out = io.StringIO()
    call_command("term_limits", stdout=out)
    assert "Gareth Lloyd" in out.getvalue() and "reaches 9 years in office on 01 April 2025" in out.getvalue()
