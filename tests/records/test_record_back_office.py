import csv
import io

import pytest

from records.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(make_user):
    officer = make_user("officer@example.org", roles=["Membership officer"])
    record("member.admitted", "Ada Lovelace admitted", actor=officer)
    record("member.ceased", "Charles Babbage ceased: moved away", actor=officer)
    record("motion.carried", "Motion 4 carried")


def signed_in(client, make_user, roles, **kwargs):
    client.force_login(make_user("viewer@example.org", roles=roles, mfa=True, **kwargs))
    return client


def test_the_company_secretary_browses_and_filters_the_record(client, make_user, entries):
    signed_in(client, make_user, ["Company secretary"])
    everything = client.get("/admin/records/")
    assert everything.status_code == 200
    assert b"Ada Lovelace admitted" in everything.content and b"Motion 4 carried" in everything.content
    ceased_only = client.get("/admin/records/", {"kind": "member.ceased"})
    assert b"Charles Babbage" in ceased_only.content and b"Ada Lovelace" not in ceased_only.content


def test_the_record_exports_as_csv_with_its_hashes(client, make_user, entries):
    signed_in(client, make_user, ["Company secretary"])
    response = client.get("/admin/records/", {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    assert {row["Kind"] for row in rows} == {"member.admitted", "member.ceased", "motion.carried"}
    assert all(row["Hash"].startswith("sha256$") for row in rows)


def test_a_clerk_cannot_read_the_record(client, make_user, entries):
    signed_in(client, make_user, ["Clerk"])
    assert client.get("/admin/records/").status_code in (302, 403)


def test_nobody_adds_or_edits_entries_by_hand_not_even_a_superuser(client, make_user, entries):
    from records.models import Entry

    signed_in(client, make_user, [], is_superuser=True)
    pk = Entry.objects.first().pk
    assert client.get("/admin/records/").status_code == 200
    assert client.get(f"/admin/records/inspect/{pk}/").status_code == 200
    assert client.get("/admin/records/new/").status_code in (302, 403)
    assert client.get(f"/admin/records/edit/{pk}/").status_code in (302, 403)
    assert client.post(f"/admin/records/delete/{pk}/").status_code in (302, 403)
    assert Entry.objects.count() == 3
