"""Keypad codes sealed in the background: postal letters are issued at once, each keypad code's
Argon2id runs afterwards in the worker, in batches, with the returning officer watching how far it
has got; a caller whose code is not sealed yet is asked to call again, never let through; a crash
mid-batch is resumed without sealing anything twice; the task queue holds only the election's id."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from governance.elections import box, codes, keypad_pending, phone_voting, trustees
from governance.elections.demo import make_election_key
from governance.elections.errors import UnknownCredential
from governance.elections.models import Elector, Nomination, NominationStatus, Protocol, State
from governance.elections.services import open_poll
from tests.at_rest import tables_holding
from tests.factories.accounts import UserFactory
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def verifiable_roll(folder, postal=5):
    """A verifiable election with its nominations closed and `postal` electors who take post."""
    election = ElectionFactory(protocol=Protocol.BELENIOS)
    trustees.name_trustees(election, UserFactory.create_batch(2), threshold=2)
    election.refresh_from_db()
    make_election_key(election, folder)
    for position, name in enumerate(["Adams", "Baker"], start=1):
        Nomination.objects.create(
            election=election,
            member=MemberFactory(last_name=name),
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=position,
            submitted_on=election.notice_on,
        )
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    for _ in range(postal):
        Elector.objects.create(election=election, member=MemberFactory(email=""))
    return election


def keyed(letter):
    return letter["keypad_code"].replace(" ", "")


def queued_seals():
    from django_tasks import default_task_backend

    return [result for result in default_task_backend.results if result.task.name == "seal_keypad_codes"]


@pytest.mark.django_db
def test_letters_are_issued_before_their_keypad_codes_are_sealed_and_callers_wait_for_the_seal(
    tmp_path, settings, client, make_user
):
    settings.TASKS = DUMMY_QUEUE  # the queue holds the task; no worker has run it yet
    election = verifiable_roll(tmp_path, postal=5)
    letters = codes.postal_mail_merge(election)

    assert [(r.args, r.kwargs) for r in queued_seals()] == [([election.pk], {})]  # the election's id, no code
    assert keypad_pending.keypad_sealing(election) == (0, 5)
    officer = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    client.force_login(officer)
    from guardian.shortcuts import assign_perm

    assign_perm("elections.run_election", officer, election)
    page = client.get(reverse("elections_admin:run", args=[election.pk])).content.decode()
    assert "Telephone keypad codes sealed: 0 of 5." in page

    open_poll(election, today=election.poll_notice_on)
    with pytest.raises(UnknownCredential, match="call again"):
        phone_voting.elector_for_keys(keyed(letters[0]))

    assert keypad_pending.seal_keypad_codes(election.pk, batch=2) == 5
    assert keypad_pending.keypad_sealing(election) == (5, 5)
    assert (
        "Telephone keypad codes sealed: 5 of 5."
        in client.get(reverse("elections_admin:run", args=[election.pk])).content.decode()
    )
    for letter in letters:
        caller = phone_voting.elector_for_keys(keyed(letter))
        assert caller.member.membership_number == letter["membership_number"]
        assert box.open_with_keypad(caller.public_credential.phone_credential, keyed(letter)) == letter["credential"]
    with pytest.raises(UnknownCredential, match="do not recognise that voting code, or its poll"):
        phone_voting.elector_for_keys("1234123412341234")  # nothing pending now: a wrong code is just wrong


@pytest.mark.django_db
def test_a_crash_in_the_middle_of_a_batch_is_resumed_without_sealing_any_code_twice(tmp_path, settings, monkeypatch):
    settings.TASKS = DUMMY_QUEUE
    election = verifiable_roll(tmp_path, postal=5)
    letters = codes.postal_mail_merge(election)
    stretched, real_keys = [], box.keypad_keys

    def crash_on_the_fourth(keypad, cost):
        if len(stretched) == 3:
            raise MemoryError("the worker is killed")
        stretched.append(keypad)
        return real_keys(keypad, cost)

    monkeypatch.setattr(box, "keypad_keys", crash_on_the_fourth)
    with pytest.raises(MemoryError):
        keypad_pending.seal_keypad_codes(election.pk, batch=2)
    assert keypad_pending.keypad_sealing(election) == (2, 5)  # the first batch committed; the second rolled back whole

    monkeypatch.setattr(box, "keypad_keys", lambda keypad, cost: stretched.append(keypad) or real_keys(keypad, cost))
    assert keypad_pending.seal_keypad_codes(election.pk, batch=2) == 3  # the rest, not the two already sealed
    assert keypad_pending.keypad_sealing(election) == (5, 5)
    assert sorted(stretched[:2] + stretched[3:]) == sorted(keyed(letter) for letter in letters)
    open_poll(election, today=election.poll_notice_on)
    for letter in letters:
        assert phone_voting.elector_for_keys(keyed(letter)).member.membership_number == letter["membership_number"]


@pytest.mark.django_db
def test_a_code_reissued_before_its_seal_is_sealed_as_reissued_and_the_old_one_never_works(tmp_path, settings):
    settings.TASKS = DUMMY_QUEUE
    election = verifiable_roll(tmp_path, postal=1)
    (first,) = codes.postal_mail_merge(election)
    (second,) = codes.postal_mail_merge(election)  # a second pack before the worker reached the first
    keypad_pending.seal_keypad_codes(election.pk)
    open_poll(election, today=election.poll_notice_on)
    assert keypad_pending.keypad_sealing(election) == (1, 1)
    assert phone_voting.elector_for_keys(keyed(second)).member.membership_number == second["membership_number"]
    with pytest.raises(UnknownCredential):
        phone_voting.elector_for_keys(keyed(first))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads every column through information_schema")
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_no_code_rests_readable_in_a_table_or_the_queue_and_the_worker_seals_them(
    tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    election = verifiable_roll(tmp_path, postal=3)
    letters = codes.postal_mail_merge(election)
    assert keypad_pending.keypad_sealing(election) == (0, 3)
    for letter in letters:
        for form in (letter["credential"], keyed(letter), letter["keypad_code"]):
            assert tables_holding(form) == [], f"{form} is at rest in the database"

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    assert keypad_pending.keypad_sealing(election) == (3, 3)
    open_poll(election, today=election.poll_notice_on)
    for letter in letters:
        assert phone_voting.elector_for_keys(keyed(letter)).member.membership_number == letter["membership_number"]
