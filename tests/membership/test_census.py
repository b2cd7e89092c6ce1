"""Loading the published population: ONS Census 2021 tables, IMD 2019 File 1 and the ONS Postcode
Directory's LSOAs, from the sample files in tests/data/census (Hartlepool's LSOA codes)."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from membership.census import PublishedFileRefused, load_census, load_imd, load_postcode_areas
from membership.models import CensusFigure, CensusTopic, Deprivation, PostcodeArea

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "census"
ETHNIC = SAMPLES / "census2021-ts021-lsoa.csv"
IMD = SAMPLES / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"


def load(loader, path):
    with path.open(encoding="utf-8-sig", newline="") as file:
        return loader(file, path.name)


def test_an_ethnic_group_table_loads_each_areas_19_categories_and_the_5_groups():
    load(load_census, ETHNIC)
    irish = CensusFigure.objects.get(area_code="E01011949", category="White: Irish")
    assert irish.topic == CensusTopic.ETHNIC_GROUP and irish.residents == 6 and irish.area_name == "Hartlepool 001A"
    per_area = CensusFigure.objects.filter(area_code="E01011949").count()
    assert per_area == 19 + 5  # the 19 categories and the 5 groups they nest in; the total is left out
    assert not CensusFigure.objects.filter(category__startswith="Total").exists()


def test_loading_the_same_file_twice_changes_nothing():
    load(load_census, ETHNIC)
    before = list(CensusFigure.objects.order_by("pk").values_list("pk", "area_code", "category", "residents"))
    load(load_census, ETHNIC)
    assert list(CensusFigure.objects.order_by("pk").values_list("pk", "area_code", "category", "residents")) == before


def test_a_census_file_with_a_bad_line_is_refused_by_file_and_line_and_nothing_is_loaded():
    lines = ETHNIC.read_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",seven"
    with pytest.raises(PublishedFileRefused) as refused:
        load_census(io.StringIO("\n".join(lines)), "census2021-ts021-lsoa.csv")
    assert "census2021-ts021-lsoa.csv" in str(refused.value)
    assert [error.line for error in refused.value.errors] == [4]
    assert CensusFigure.objects.count() == 0


def test_a_table_of_another_topic_is_refused_by_its_header():
    text = "date,geography,geography code,Religion: Total,Religion: No religion\n2021,Hartlepool 001A,E01011949,1,1\n"
    with pytest.raises(PublishedFileRefused) as refused:
        load_census(io.StringIO(text), "religion.csv")
    assert refused.value.errors[0].line == 1 and CensusFigure.objects.count() == 0


def test_the_imd_file_gives_each_lsoa_its_decile():
    assert load(load_imd, IMD) == 5
    assert Deprivation.objects.get(lsoa_code="E01011954").decile == 1
    assert Deprivation.objects.get(lsoa_code="E01011970").decile == 9


def test_an_imd_decile_out_of_range_is_refused_and_nothing_is_loaded():
    text = IMD.read_text().replace(",9\n", ",11\n")
    with pytest.raises(PublishedFileRefused) as refused:
        load_imd(io.StringIO(text), IMD.name)
    assert refused.value.errors[0].line == 6 and "11" in refused.value.errors[0].reason
    assert Deprivation.objects.count() == 0


def test_postcodes_get_their_lsoas_from_the_postcode_directory():
    load(load_postcode_areas, SAMPLES / "onspd-hartlepool-sample.csv")
    place = PostcodeArea.objects.get(postcode="TS25 1CC")
    assert (place.lsoa11, place.lsoa21, place.local_authority) == ("E01011954", "E01011954", "E06000001")


def test_the_commands_load_the_samples_with_progress_and_refuse_a_bad_file(tmp_path):
    out = io.StringIO()
    call_command("load_census", *sorted(SAMPLES.glob("census2021-*.csv")), stdout=out)
    call_command("load_imd", IMD, stdout=out)
    assert "census2021-ts007a-lsoa.csv: loaded 90 figures" in out.getvalue()  # 5 areas × 18 age bands
    assert set(CensusFigure.objects.values_list("topic", flat=True)) == set(CensusTopic.values)
    bad = tmp_path / "imd.csv"
    bad.write_text(IMD.read_text().replace("E01011969", "nonsense"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_imd", bad, stdout=io.StringIO(), stderr=err)
    assert "imd.csv, line 5" in err.getvalue()
