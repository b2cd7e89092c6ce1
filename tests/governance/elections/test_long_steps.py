"""The steps over every ballot of a verifiable election run on the worker (`long_steps`): the
returning officer's close and count, and the site's check of each trustee's shuffle and partial
decryption. What the officer and the trustees see on their pages as each goes; a step the service
refuses, with its reason; one step at a time; and a worker killed half way through the close,
which leaves the election as it was and the close offered again."""

import datetime
import html
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.elections import box, long_steps
from governance.elections.belenios import engine
from governance.elections.errors import ElectionError
from governance.elections.models import BoxEvent, Channel, LongStep, State
from governance.elections.voting import cast_ballot
from tests.factories.verifiable import decrypt, open_verifiable_poll, shuffle

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the advisory lock that shows a worker is alive is PostgreSQL's"
)


def rehearsal_run_by(officer, tmp_path, voters):
    """An open verifiable rehearsal (closed at any time) that `officer` runs: (election, nominations, codes, users)."""
    election, nominations, codes, users = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=voters)
    election.rehearsal = True
    election.save(update_fields=["rehearsal"])
    assign_perm("elections.run_election", officer, election)
    return election, nominations, codes, users


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(" ".join(response.content.decode().split()))


def as_trustee(client, user):
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)


def upload(client, election, text, capture):
    with capture(execute=True):
        client.post(
            reverse("elections:trustee_upload", args=[election.pk]),
            {"file": SimpleUploadedFile("upload.json", text.encode())},
        )


def test_the_close_the_trustees_checks_and_the_count_run_on_the_worker_and_each_page_says_how_they_went(
    client, officer, tmp_path, django_capture_on_commit_callbacks
):
    election, nominations, codes, users = rehearsal_run_by(officer, tmp_path, voters=2)
    cast_ballot(election, codes[0], [nominations["Baker"].pk], Channel.INTERNET)
    run = reverse("elections_admin:run", args=[election.pk])
    trustee_page = reverse("elections:trustee", args=[election.pk])

    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))
    assert len(queued) == 1  # the close was queued, and the worker (run here at once) did it
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED
    page = page_text(client, run)
    assert 'role="status"' in page and "Closing the poll: done" in page
    assert "Verify and count" in page

    trustees = list(election.trustees.order_by("number"))
    as_trustee(client, users[0])
    upload(client, election, shuffle(election, trustees[0], tmp_path), django_capture_on_commit_callbacks)
    page = page_text(client, trustee_page)
    assert "Checking trustee 1's shuffle: done" in page
    assert "You have shuffled" in page
    row = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert re.search(r"1\. [\w ]+ (Done at \d\d:\d\d, \d+ \w+ ){3}Yes at \d\d:\d\d, \d+ \w+ No 2\.", row)
    assert LongStep.objects.get(trustee=trustees[0]).upload == ""  # the file is in the archive; not kept twice
    for number in (2, 3):
        as_trustee(client, users[number - 1])
        upload(client, election, shuffle(election, trustees[number - 1], tmp_path), django_capture_on_commit_callbacks)
    for number in (1, 2):
        client.force_login(users[number - 1])
        upload(client, election, decrypt(election, trustees[number - 1], tmp_path), django_capture_on_commit_callbacks)
    assert "Checking trustee 2's partial decryption: done" in page_text(client, trustee_page)
    assert election.box_events.filter(kind=BoxEvent.Kind.RESULT).exists()

    client.force_login(officer)
    page = page_text(client, run)  # which trustee has done what, and when, as the record dates it
    assert re.search(r"Trustee 1 \([^)]+\): shuffled at \d\d:\d\d, \d+ \w+; decrypted at \d\d:\d\d", page)
    assert re.search(r"Trustee 3 \([^)]+\): shuffled at \d\d:\d\d, \d+ \w+; not decrypted\.", page)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("elections_admin:step", args=[election.pk, "count"]), {"seed": "7"})
    election.refresh_from_db()
    assert election.state == State.COUNTED and election.result["elected"] == ["Candidate Baker"]
    assert election.result["seed"] == 7
    assert "Verifying and counting: done" in page_text(client, run)
    assert list(LongStep.objects.values_list("problem", flat=True)) == [""] * 7  # close, 3 shuffles, 2, count


def test_a_step_the_service_refuses_says_why_on_the_page_and_changes_nothing(
    client, officer, tmp_path, django_capture_on_commit_callbacks
):
    election, *_ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    assign_perm("elections.run_election", officer, election)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))
    election.refresh_from_db()
    assert election.state == State.POLL_OPEN
    page = page_text(client, reverse("elections_admin:run", args=[election.pk]))
    assert "Closing the poll: not done" in page and "The poll closes at" in page
    assert "Close the poll</button>" in page  # offered again, for when the time comes


def test_a_trustee_who_uploads_the_wrong_file_is_told_why_and_may_upload_again(
    client, tmp_path, django_capture_on_commit_callbacks
):
    from governance.elections.services import close_poll
    from tests.factories.verifiable import after_close

    election, nominations, codes, users = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    first = election.trustees.get(number=1)
    as_trustee(client, users[0])
    kept = election.box_events.count()
    upload(client, election, '{"not": "a shuffle"}', django_capture_on_commit_callbacks)

    page = page_text(client, reverse("elections:trustee", args=[election.pk]))
    assert "Checking trustee 1's shuffle: not done" in page
    assert "Upload shuffle.json exactly as the kit wrote it" in page
    assert "Upload and check</button>" in page  # the shuffle is due from them still
    assert election.box_events.count() == kept
    upload(client, election, shuffle(election, first, tmp_path), django_capture_on_commit_callbacks)
    assert "Checking trustee 1's shuffle: done" in page_text(client, reverse("elections:trustee", args=[election.pk]))


@postgres_only
def test_while_a_step_runs_nothing_else_starts_and_one_whose_worker_has_gone_is_offered_again(
    client, officer, tmp_path, django_capture_on_commit_callbacks
):
    election, *_ = rehearsal_run_by(officer, tmp_path, voters=1)
    run = reverse("elections_admin:run", args=[election.pk])
    step = long_steps.request_step(election, "close_poll", actor=officer)  # queued, not run (no commit here)
    assert "waiting for the site's worker to start it" in page_text(client, run)

    # A worker has taken it: it holds the step's lock as it works.
    with long_steps.claimed(step.pk):
        LongStep.objects.filter(pk=step.pk).update(started_at=step.requested_at)
        page = page_text(client, run)
        assert "Closing the poll: under way" in page and "Close the poll</button>" not in page
        assert "js/long-step.js" in page  # the page watches for its end
        with pytest.raises(ElectionError, match="is under way: nothing else can be done"):
            long_steps.request_step(election, "close_poll", actor=officer)

    # The worker is killed: its connection goes, and the database lets the lock go with it.
    page = page_text(client, run)
    assert "Closing the poll: stopped" in page and "Nothing of it was kept: ask for it again" in page
    assert "Close the poll</button>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))
    step.refresh_from_db()
    assert step.finished_at and step.problem == long_steps.STOPPED
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED


def test_a_step_the_worker_never_started_may_be_asked_for_again_and_the_lost_request_never_runs(
    client, officer, tmp_path, django_capture_on_commit_callbacks
):
    election, *_ = rehearsal_run_by(officer, tmp_path, voters=1)
    run = reverse("elections_admin:run", args=[election.pk])
    lost = long_steps.request_step(election, "close_poll", actor=officer)  # its task never reaches a worker
    assert "Close the poll</button>" not in page_text(client, run)

    LongStep.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=11))
    page = page_text(client, run)
    assert "Closing the poll: not started" in page and "You may ask for it again" in page
    assert "Close the poll</button>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))
    lost.refresh_from_db()
    assert lost.finished_at and "had not started it 10 minutes after" in lost.problem
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED
    events = election.box_events.count()
    long_steps.run_step(lost.pk)  # the lost request reaches a worker after all: nothing is done twice
    assert election.box_events.count() == events and not LongStep.objects.filter(finished_at__isnull=True).exists()


WORKER_KILLED_AFTER_THE_ARCHIVE_IS_WRITTEN = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from governance.elections import box, long_steps

    write = box.seal_ballots
    def write_then_hang(election):
        write(election)
        print("written", flush=True)
        time.sleep(120)
    box.seal_ballots = write_then_hang
    long_steps.run_step(int(sys.argv[1]))
    """
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_the_close_wrote_the_archive_leaves_the_poll_open_and_the_close_offered_again(
    client, officer, tmp_path
):
    election, nominations, codes, _ = rehearsal_run_by(officer, tmp_path, voters=2)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    step = LongStep.objects.create(election=election, name="close_poll", ballots=1, requested_by=officer)

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER_KILLED_AFTER_THE_ARCHIVE_IS_WRITTEN, str(step.pk)],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "written"  # the ballots are in its uncommitted archive
        step.refresh_from_db()
        assert step.started_at and not long_steps.stopped(step)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    step.refresh_from_db()
    for _ in range(100):  # the database notices the dead connection at once, and lets its locks go
        if long_steps.stopped(step):
            break
        time.sleep(0.1)

    election.refresh_from_db()
    assert election.state == State.POLL_OPEN
    assert not election.box_events.filter(kind=BoxEvent.Kind.END_BALLOTS).exists()
    page = page_text(client, reverse("elections_admin:run", args=[election.pk]))
    assert "Closing the poll: stopped" in page and "Close the poll</button>" in page

    client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))  # run at once, after the commit
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED
    assert election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count() == 1
    engine.verify(box.archive(election), election.belenios.uuid)
