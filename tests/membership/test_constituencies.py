"""Constituencies, areas and the membership plan's targets are changed in the back office through
`membership.constituencies`: each constitutional change recorded, each that would strand members
refused with the reason."""

import pytest
from django.urls import reverse

from membership.models import Area, Constituency, ConstituencyKind, RepresentationTarget
from records.models import Entry
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return ConstituencyFactory(name="Staff", slug="staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing"])


def constituency_form(constituency, **changes):
    data = {
        "name": constituency.name,
        "slug": constituency.slug,
        "kind": constituency.kind,
        "description": constituency.description,
        "minimum_age": constituency.minimum_age or "",
        "classes": '["Medical", "Nursing"]',
        "staff_groups": "{}",
        "accepting_applications": "on",
    }
    return {**data, **changes}


def test_a_class_its_members_are_in_cannot_be_removed(client, officer, staff):
    admitted(MemberFactory(), staff, member_class="Nursing")
    response = client.post(
        reverse("membership_constituencies:edit", args=[staff.pk]), constituency_form(staff, classes='["Medical"]')
    )
    assert "1 current members are in the class “Nursing”: move them to another class" in response.content.decode()
    staff.refresh_from_db()
    assert staff.classes == ["Medical", "Nursing"]
    assert not Entry.objects.filter(kind="constituency.changed").exists()


def test_a_constituency_with_members_keeps_its_kind(client, officer, staff):
    admitted(MemberFactory(), staff, member_class="Nursing")
    response = client.post(
        reverse("membership_constituencies:edit", args=[staff.pk]), constituency_form(staff, kind="public")
    )
    assert "The Staff constituency has 1 current members, so it stays staff" in response.content.decode()
    assert Constituency.objects.get(pk=staff.pk).kind == ConstituencyKind.STAFF


def test_a_change_that_strands_nobody_is_made_and_recorded(client, officer, staff):
    admitted(MemberFactory(), staff, member_class="Nursing")
    client.post(
        reverse("membership_constituencies:edit", args=[staff.pk]),
        constituency_form(staff, classes='["Nursing"]', minimum_age="18"),
    )
    staff.refresh_from_db()
    assert staff.classes == ["Nursing"] and staff.minimum_age == 18
    entry = Entry.objects.get(kind="constituency.changed")
    assert entry.payload["classes"] == ["Nursing"] and entry.actor == officer


def test_a_constituency_is_never_deleted(client, officer, staff):
    client.post(reverse("membership_constituencies:delete", args=[staff.pk]))
    assert Constituency.objects.filter(pk=staff.pk).exists()


def test_a_postcode_district_belongs_to_one_area(client, officer):
    north = AreaFactory(name="Northfield North", postcode_districts="NF1 NF2")
    response = client.post(
        reverse("membership_areas:add"),
        {"name": "Northfield South", "constituency": north.constituency_id, "postcode_districts": "nf2, NF3"},
    )
    assert "A postcode district belongs to one area: NF2 is in Northfield North." in response.content.decode()
    assert not Area.objects.filter(name="Northfield South").exists()
    client.post(
        reverse("membership_areas:add"),
        {"name": "Northfield South", "constituency": north.constituency_id, "postcode_districts": "nf4, NF3"},
    )
    assert Area.objects.get(name="Northfield South").postcode_districts == "NF3 NF4"


def test_plan_targets_are_recorded_and_cannot_pass_a_hundred_percent(client, officer):
    form = {"topic": "sex", "category": "Female", "target_percent": "60"}
    client.post(reverse("membership_targets:add"), form)
    response = client.post(reverse("membership_targets:add"), {**form, "category": "Male", "target_percent": "45"})
    assert "would add up to 105.0%" in response.content.decode()
    assert RepresentationTarget.objects.count() == 1
    target = RepresentationTarget.objects.get()
    client.post(reverse("membership_targets:delete", args=[target.pk]))
    assert not RepresentationTarget.objects.exists()
    kinds = Entry.objects.filter(kind__startswith="membership.plan").order_by("pk").values_list("kind", flat=True)
    assert list(kinds) == ["membership.plan_target_set", "membership.plan_target_removed"]
