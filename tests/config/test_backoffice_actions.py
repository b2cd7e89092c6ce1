"""The back office's listings carry their screens' buttons (config/backoffice.py: header and row
actions): each is shown to those its permission predicate allows, on the rows it applies to,
and to nobody else."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from membership import inspection
from membership.models import AccountReferral, ProposedLeaver
from tests.factories.accounts import sign_in
from tests.factories.membership import admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(make_user):
    """One row in each membership listing that has buttons; returns {listing: the buttons' links}."""
    membership = admitted()
    leaver = ProposedLeaver.objects.create(
        member=membership.member,
        constituency=membership.constituency,
        proposed_on=datetime.date(2025, 1, 1),
        source="hr.csv",
    )
    asked = inspection.request_inspection(name="Pat", email="pat@example.org", purpose="Study")
    referral = AccountReferral.objects.create(user=make_user("shared@example.org"), email="shared@example.org")
    member = membership.member.pk
    return {
        "membership_members:index": [
            reverse("membership_applications:paper"),
            reverse("membership_members:subject_access", args=[member]),
            reverse("membership_members:erase", args=[member]),
        ],
        "membership_leavers:index": [reverse("membership_leavers:resolve", args=[leaver.pk])],
        "membership_inspections:index": [reverse("membership_inspections:answer", args=[asked.pk])],
        "membership_referrals:index": [reverse("membership_referrals:resolve", args=[referral.pk])],
    }


def listing(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response.content.decode()


def test_the_membership_officer_sees_each_listings_buttons(client, make_user, rows):
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    for name, links in rows.items():
        page = listing(client, name)
        assert all(f'href="{link}"' in page for link in links), name


def test_someone_who_may_only_look_sees_the_listings_without_their_buttons(client, make_user, rows):
    viewer = make_user("viewer@example.org", mfa=True)
    codenames = ["access_admin", "view_member", "view_proposedleaver", "view_inspectionrequest", "view_accountreferral"]
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    sign_in(client, viewer)
    for name, links in rows.items():
        page = listing(client, name)
        assert not any(link in page for link in links), name


def test_a_row_action_shows_only_on_the_rows_it_applies_to(client, make_user, settings):
    """The register of shares offers "Withdraw and refund" on a current holding, not a withdrawn one."""
    from payments.models import ShareHolding
    from payments.services import issue_share

    settings.ORGANISATION_TYPE, settings.RULEBOOK_OVERRIDES = "cooperative", {}
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    holding = issue_share(admitted().member, issued_on=datetime.date(2025, 1, 1))
    withdraw = f'href="{reverse("payments_shares:withdraw", args=[holding.pk])}"'
    assert withdraw in listing(client, "payments_shares:index")

    ShareHolding.objects.filter(pk=holding.pk).update(withdrawn_on=datetime.date(2025, 2, 1))
    assert withdraw not in listing(client, "payments_shares:index")
