import pytest
from django.contrib.auth.models import Group

from config.roles import ROLES, STAFF_ROLES, has_staff_role, permission_for

pytestmark = pytest.mark.django_db


def test_every_role_of_the_architecture_is_a_group():
    expected = {
        "Member",
        "Governor",
        "Director",
        "Clerk",
        "Membership officer",
        "Returning officer",
        "Scrutineer",
        "Company secretary",
        "Directory editor",
        "Site editor",
        "Administrator",
        "Postal operator",
    }
    assert expected <= set(Group.objects.values_list("name", flat=True))
    assert expected == set(ROLES)


@pytest.mark.parametrize("name", list(ROLES))
def test_each_group_holds_exactly_its_declared_permissions(name):
    group = Group.objects.get(name=name)
    declared = {permission_for(p) for p in ROLES[name].permissions}
    assert set(group.permissions.all()) == declared


def test_only_staff_roles_open_the_back_office():
    for name, role in ROLES.items():
        if not role.staff:
            assert "wagtailadmin.access_admin" not in role.permissions, name
    # A postal operator keys papers on the site's own pages, with a second factor, and never sees the back office.
    opens = {name for name, role in ROLES.items() if "wagtailadmin.access_admin" in role.permissions}
    assert opens == {name for name, role in ROLES.items() if role.staff} - {"Postal operator"}


def test_staff_roles_are_recognised_for_mfa(make_user):
    assert has_staff_role(make_user("a@example.org", roles=["Scrutineer"]))
    assert not has_staff_role(make_user("b@example.org", roles=["Governor", "Member"]))
    assert STAFF_ROLES == {
        "Clerk",
        "Membership officer",
        "Returning officer",
        "Scrutineer",
        "Company secretary",
        "Directory editor",
        "Site editor",
        "Administrator",
        "Postal operator",
    }


def test_guardian_grants_a_permission_on_one_object_only(make_user):
    from guardian.shortcuts import assign_perm

    clerk = make_user("clerk@example.org", roles=["Clerk"])
    one, other = Group.objects.get(name="Governor"), Group.objects.get(name="Director")
    assign_perm("auth.change_group", clerk, one)
    assert clerk.has_perm("auth.change_group", one)
    assert not clerk.has_perm("auth.change_group", other)
    assert not clerk.has_perm("auth.change_group")
