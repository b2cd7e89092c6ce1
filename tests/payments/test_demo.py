import io

import pytest

from payments import demo
from payments.models import Payment, ShareHolding
from tests.factories.membership import admitted

pytestmark = pytest.mark.django_db


def test_a_cooperative_demo_has_shares_on_the_register_and_a_second_run_changes_nothing(cooperative):
    for _ in range(3):
        admitted()

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    assert ShareHolding.objects.count() == 3
    assert ShareHolding.objects.filter(withdrawn_on__isnull=False).count() == 1
    assert Payment.objects.filter(kind="share").count() == 3 and Payment.objects.filter(kind="refund").count() == 1


def test_a_charity_demo_records_donations_once(settings):
    settings.ORGANISATION_TYPE = "charity"
    for _ in range(2):
        admitted()
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Payment.objects.filter(kind="donation").count() == 2
    assert not ShareHolding.objects.exists()


def test_a_foundation_trust_demo_has_no_payments():
    admitted()
    demo.seed(io.StringIO())
    assert not Payment.objects.exists()
