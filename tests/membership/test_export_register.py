import csv
import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from config.csv_safety import safe_cell
from membership.models import CeaseReason, ConstituencyKind
from membership.services import cease_membership
from membership.transfers import transfer_constituency
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cell", ["=SUM(A1)", "+44 1234", "-1", "@cmd", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_neutralised(cell):
    assert safe_cell(cell) == "'" + cell


def test_ordinary_cells_are_left_alone():
    assert safe_cell("Mary O'Neill") == "Mary O'Neill" and safe_cell(None) == ""


def export(*args):
    out = StringIO()
    call_command("export_register", *args, stdout=out, stderr=StringIO())
    return list(csv.DictReader(StringIO(out.getvalue())))


def test_the_exported_register_follows_transfers_and_cessations_and_neutralises_cells():
    public, carers = (
        ConstituencyFactory(name="Public", slug="public"),
        ConstituencyFactory(name="Carers", slug="carers", kind=ConstituencyKind.CARER),
    )
    mover = admitted(MemberFactory(first_name="=HYPERLINK(1)"), public, on=datetime.date(2024, 1, 1))
    leaver = admitted(MemberFactory(), public, on=datetime.date(2024, 1, 1))
    transfer_constituency(mover.member, carers, on=datetime.date(2024, 6, 1))
    cease_membership(leaver.member, CeaseReason.DEATH, ceased_on=datetime.date(2024, 9, 1))

    may = export("--as-at", "2024-05-31", "--format", "csv")
    assert sorted(row["constituency"] for row in may) == ["Public", "Public"]
    assert {row["first_name"] for row in may} >= {"'=HYPERLINK(1)"}
    assert [row["membership_number"] for row in export("--as-at", "2024-06-01", "--constituency", "carers")] == [
        mover.member.membership_number
    ]
    assert export("--as-at", "2024-09-01", "--constituency", "public") == []
