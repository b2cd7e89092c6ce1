from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from membership.eligibility import area_for_postcode
from membership.imports import ImportRefused, import_areas
from membership.models import Area
from tests.factories.membership import ConstituencyFactory

pytestmark = pytest.mark.django_db


def test_areas_are_created_then_updated_from_a_file():
    ConstituencyFactory(slug="public-north")
    assert import_areas("name,constituency,postcode_districts\nNorth,public-north,nf1 NF2\n") == {
        "created": 1,
        "updated": 0,
    }
    assert area_for_postcode("NF2 1AA").name == "North"
    assert import_areas("name,constituency,postcode_districts\nNorth,public-north,NF3\n") == {
        "created": 0,
        "updated": 1,
    }
    assert area_for_postcode("NF2 1AA") is None


def test_a_bad_area_file_changes_nothing_and_names_each_row(tmp_path):
    ConstituencyFactory(slug="public-north")
    path = tmp_path / "areas.csv"
    path.write_text("name,constituency,postcode_districts\nNorth,public-north,NF1\nSouth,nowhere,NF1\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_areas", str(path), stderr=err)
    assert (
        "line 3, constituency" in err.getvalue()
        and "line 3, postcode_districts: NF1 is also on line 2" in err.getvalue()
    )
    assert not Area.objects.exists()
    with pytest.raises(ImportRefused):
        import_areas("name\nNorth\n")
