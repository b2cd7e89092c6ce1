"""The public site: pages from the registers, search, feeds, caching and who may edit it."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from cms.site import ensure_home_page
from governance.bodies.models import BodyKind, Declaration, SeatKind, TenureBasis
from governance.bodies.services import begin_tenure, declare, end_tenure
from governance.elections.models import State
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.cms import governed_by_page, news_index, news_page, standard_page
from tests.factories.elections import ElectionFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    body = BodyFactory(name="Council of Governors", slug="council", kind=BodyKind.COUNCIL_OF_GOVERNORS)
    eastbrook = ConstituencyFactory(name="Public: Eastbrook", slug="eastbrook")
    return body, SeatFactory(body=body, name="Public governor, Eastbrook", constituency=eastbrook)


def test_governed_by_page_shows_exactly_the_current_office_holders_and_follows_the_register(client, council):
    body, seat = council
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    chair = SeatFactory(body=board, name="Chair", kind=SeatKind.APPOINTED, constituency=None)
    started = datetime.date(2025, 4, 1)
    past = MemberFactory(first_name="Previous", last_name="Holder")
    begin_tenure(seat, past, started_on=datetime.date(2022, 4, 1), basis=TenureBasis.ELECTED)
    end_tenure(seat.tenures.get(), ended_on=datetime.date(2025, 3, 31), reason="Term ended")
    current = begin_tenure(
        seat,
        MemberFactory(first_name="Grace", last_name="Okafor"),
        started_on=started,
        basis=TenureBasis.ELECTED,
        term_ends_on=datetime.date(2028, 3, 31),
    )
    ravi = MemberFactory(first_name="Ravi", last_name="Shah")
    begin_tenure(chair, ravi, started_on=started, basis="appointed")
    declare(ravi, Declaration.Kind.INTEREST, "Trustee of Eastbrook Carers", declared_on=started)
    declare(past, Declaration.Kind.INTEREST, "Director of Past Holdings Ltd", declared_on=started)
    page = governed_by_page()

    html = client.get(page.url).content.decode()

    assert "Grace Okafor" in html and "Ravi Shah" in html
    assert "Previous Holder" not in html
    assert "Public: Eastbrook" in html
    assert "1 April 2025 to 31 March 2028" in html
    assert "Trustee of Eastbrook Carers" in html
    assert "Past Holdings" not in html

    end_tenure(current, ended_on=datetime.date.today() - datetime.timedelta(days=1), reason="Resigned")

    html = client.get(page.url).content.decode()
    assert "Grace Okafor" not in html
    assert "No one holds office on the Council of Governors at present." in html
    assert "Ravi Shah" in html


def test_home_page_shows_how_to_join_and_the_latest_news(client):
    home = ensure_home_page()
    home.how_to_join = "<p>Anyone over 16 can join.</p>"
    home.save_revision().publish()
    index = news_index()
    for n in range(4):
        news_page(index, title=f"Story {n}", slug=f"story-{n}", date=datetime.date(2026, 1, 1 + n))

    html = client.get("/").content.decode()

    assert "Anyone over 16 can join." in html
    assert "Story 3" in html and "Story 1" in html
    assert "Story 0" not in html  # only the latest three


def test_search_finds_live_public_pages_only(client):
    standard_page(title="Accessibility statement", slug="accessibility", body="<p>Screen readers welcome.</p>")
    draft = standard_page(title="Draft plan", slug="draft-plan", body="<p>Screen readers draft.</p>")
    draft.unpublish()

    html = client.get("/search/", {"q": "screen readers"}).content.decode()

    assert "Accessibility statement" in html
    assert "Draft plan" not in html
    assert "1 result for" in html


def test_the_news_feeds_list_published_news(client):
    index = news_index()
    news_page(index, title="Elections open", slug="elections-open", summary="Stand for governor.")
    hidden = news_page(index, title="Embargoed", slug="embargoed")
    hidden.unpublish()

    rss = client.get("/feeds/news/")
    atom = client.get("/feeds/news/atom/")

    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for feed in (rss, atom):
        body = feed.content.decode()
        assert "Elections open" in body and "Stand for governor." in body
        assert "Embargoed" not in body


def test_a_published_change_is_not_hidden_by_the_page_cache(client):
    page = standard_page(title="Contact us", slug="contact", body="<p>Call 01632 960001.</p>")
    assert "960001" in client.get(page.url).content.decode()
    assert "960001" in client.get(page.url).content.decode()

    page.body = [("paragraph", "<p>Call 01632 960999.</p>")]
    page.save_revision().publish()

    assert "960999" in client.get(page.url).content.decode()


def test_a_page_unlocked_with_its_password_is_never_cached_for_others(client):
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    page = standard_page(title="Governors only", slug="governors-only", body="<p>Secret agenda.</p>")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="password", password="letmein")
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]),
        {"password": "letmein", "return_url": page.url},
    )
    assert "Secret agenda" in client.get(page.url).content.decode()

    assert "Secret agenda" not in Client().get(page.url).content.decode()


def test_site_editors_hold_no_membership_permission(make_user):
    editor = make_user("site.editor@example.org", roles=["Site editor"], mfa=True)

    membership_permissions = Permission.objects.filter(content_type__app_label="membership")
    assert membership_permissions.exists()
    assert not any(editor.has_perm(f"membership.{p.codename}") for p in membership_permissions)
    assert editor.has_perm("wagtailadmin.access_admin")


def test_site_editors_may_edit_and_publish_pages(make_user):
    from cms.site import grant_site_editors_pages

    grant_site_editors_pages()
    editor = make_user("site.editor@example.org", roles=["Site editor"], mfa=True)
    home = ensure_home_page()

    permissions = home.permissions_for_user(editor)
    assert permissions.can_edit() and permissions.can_publish() and permissions.can_add_subpage()


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_governed_by_page_lists_motions_put_to_the_vote_with_their_totals_only(client):
    from governance.motions.models import Motion, MotionStatus
    from tests.factories.motions import general_meeting

    meeting = general_meeting()
    proposer = MemberFactory()
    for title, status, votes in (
        ("That we publish board papers a week ahead", MotionStatus.CARRIED, (412, 88, 20)),
        ("That the car park be free", MotionStatus.LOST, (120, 300, 5)),
        ("That the motion be out of order", MotionStatus.REJECTED, (None, None, None)),
        ("That members meet monthly", MotionStatus.SEEKING_SUPPORT, (None, None, None)),
    ):
        Motion.objects.create(
            meeting=meeting,
            proposer=proposer,
            title=title,
            text=title,
            status=status,
            decision_reasons="Outside the rules" if status == MotionStatus.REJECTED else "",
            votes_for=votes[0],
            votes_against=votes[1],
            abstentions=votes[2],
        )

    html = client.get(governed_by_page().url).content.decode()

    assert "That we publish board papers a week ahead" in html and "412" in html
    assert "That the car park be free" in html and "Not carried" in html
    assert "out of order" not in html
    assert "meet monthly" not in html


def test_governed_by_page_lists_declared_election_results_only(client):
    declared = ElectionFactory(
        title="Public governors, Northfield 2025", state=State.DECLARED, declared_on=datetime.date(2025, 6, 20)
    )
    ElectionFactory(title="Staff governors 2026 (poll open)", state=State.POLL_OPEN)

    html = client.get(governed_by_page().url).content.decode()

    assert "Public governors, Northfield 2025" in html
    assert f"/elections/{declared.pk}/results/" in html
    assert "Staff governors 2026" not in html
