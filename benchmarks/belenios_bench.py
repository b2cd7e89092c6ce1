"""Verifiable (Belenios) elections: casting over HTTP, then shuffle, decrypt and verify times.

    .venv/bin/python benchmarks/belenios_bench.py [--electors 1000] [--candidates 10] [--clients 8] [--workers 2]
        [--repeats 1] [--database cw_elections_bench]

Creates the database `--database` afresh (as `vote_bench.py` does), sets up a verifiable
election with `electors` Belenios credentials and a 2-of-2 key made by the trustee kit, starts
gunicorn and casts one ballot per elector through the real page (`POST /elections/<id>/vote/cast/`:
the code's public credential derived, the ballot made and checked by `belenios-tool`, appended
under the box's advisory lock), beside a trivial page fetched as often in the same run. A cast
counts as sent only when its page shows the receipt; nothing is lost when the box's ballot events
= participations = receipts = electors. Then it closes the poll and times each trustee's shuffle
and partial decryption with the trustee kit (`--repeats` runs each on the same archive; the kit
verifies the whole archive before it shuffles or decrypts), the platform's check of each upload
(`verify-diff`), `election verify` of the final archive (`--repeats` runs) and the count.
Prints JSON with medians. 1,000 electors takes minutes on two cores; 10,000 electors is a manual
run (expect hours on two cores), not CI: `--electors 10000`.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vote_bench  # noqa: E402  (the gunicorn and HTTP driver we share)

REPOSITORY = vote_bench.REPOSITORY


def set_up_verifiable(electors, candidates, folder):
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from governance.bodies.models import Body, BodyKind
    from governance.elections import trustees
    from governance.elections.belenios import engine
    from governance.elections.demo import make_election_key
    from governance.elections.models import (
        Election,
        Elector,
        Method,
        Nomination,
        NominationStatus,
        Protocol,
        PublicCredential,
        State,
    )
    from governance.elections.services import open_poll
    from governance.elections.timetable import compute
    from membership.models import Constituency, ConstituencyKind, Member

    stamp = time.time_ns()
    body = Body.objects.create(name="Council", slug=f"bench-{stamp}", kind=BodyKind.COUNCIL_OF_GOVERNORS)
    constituency = Constituency.objects.create(name=f"Bench {stamp}", slug=f"b-{stamp}", kind=ConstituencyKind.PUBLIC)
    dates = compute(timezone.localdate() + datetime.timedelta(days=60)).as_fields()
    election = Election.objects.create(
        title="Verifiable benchmark", body=body, constituency=constituency, seats=2, method=Method.MER2014,
        protocol=Protocol.BELENIOS, **dates,
    )  # fmt: skip
    users = [get_user_model().objects.create_user(email=f"trustee{n}-{stamp}@example.org") for n in (1, 2)]
    trustees.name_trustees(election, users, threshold=2)
    election.refresh_from_db()
    make_election_key(election, folder)
    members = Member.objects.bulk_create(
        Member(membership_number=f"V{stamp % 10**8:08d}{n:06d}"[:20], first_name="Voter", last_name=f"N{n}")
        for n in range(electors + candidates)
    )
    standing = [
        Nomination.objects.create(
            election=election, member=member, declares_eligible=True, status=NominationStatus.VALID,
            ballot_position=position, submitted_on=election.notice_on,
        )
        for position, member in enumerate(members[:candidates], start=1)
    ]  # fmt: skip
    started = time.perf_counter()
    credentials = engine.generate_credentials(election.belenios.uuid, electors)
    made = time.perf_counter() - started
    roll = Elector.objects.bulk_create(Elector(election=election, member=m) for m in members[candidates:])
    PublicCredential.objects.bulk_create(
        PublicCredential(election=election, elector=e, public=c.public) for e, c in zip(roll, credentials, strict=True)
    )
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    open_poll(election, today=election.poll_notice_on)
    return election.pk, [c.private for c in credentials], [n.pk for n in standing], made


def post_for_receipt(client, path, fields):
    """POST a cast; (RECEIPT if the page shows the voter's receipt else the status, seconds)."""
    body = urlencode({"csrfmiddlewaretoken": client.token, **fields}, doseq=True)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={client.cookie}",
        "Referer": "http://127.0.0.1/",
    }
    started = time.perf_counter()
    client.connection.request("POST", path, body=body, headers=headers)
    response = client.connection.getresponse()
    page = response.read()
    seconds = time.perf_counter() - started
    return (RECEIPT if response.status == 200 and b"app-receipt" in page else response.status), seconds


RECEIPT = "receipt"


def cast_all(port, election_id, codes, candidates, clients):
    cast_path = f"/elections/{election_id}/vote/cast/"

    def ballot(code, n):
        order = candidates[n % len(candidates) :] + candidates[: n % len(candidates)]
        ranks = {f"rank_{pk}": str(i + 1) for i, pk in enumerate(order)}
        return lambda client: post_for_receipt(client, cast_path, {"credential": code, **ranks})

    jobs = [ballot(c, n) for n, c in enumerate(codes)]
    elapsed, latencies, statuses = vote_bench.drive(port, election_id, clients, jobs)
    trivial = f"/elections/{election_id}/vote/received/"
    t_elapsed, t_latencies, t_statuses = vote_bench.drive(
        port, election_id, clients, [lambda client: client.get(trivial)] * len(codes)
    )
    return {
        "ballots": vote_bench.figures(elapsed, latencies),
        "trivial_page": vote_bench.figures(t_elapsed, t_latencies),
        "ballots_sent": len(codes),
        "receipts": sum(1 for s in statuses if s == RECEIPT),
        "failed_casts": sum(1 for s in statuses if s != RECEIPT),
        "failed_trivial": sum(1 for s in t_statuses if s != 200),
    }


def median_of(samples):
    return {"median_s": round(statistics.median(samples), 1), "runs_s": [round(x, 1) for x in samples]}


def timed(function, repeats):
    """(the last run's result, [seconds of each run])."""
    samples, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return result, samples


def tally(election_id, folder, repeats):
    from governance.elections import box, trustees, verifiable_count
    from governance.elections.belenios import engine
    from governance.elections.demo import kit_decrypt, kit_shuffle
    from governance.elections.models import Election
    from governance.elections.services import close_poll

    election = Election.objects.get(pk=election_id)
    timings, kit_shuffles, checks, kit_decrypts, decrypt_checks = {}, [], [], [], []
    _, [closing] = timed(lambda: close_poll(election, now=election.poll_closes_at), 1)
    timings["close_and_encrypted_tally_s"] = round(closing, 1)
    for trustee in election.trustees.order_by("number"):
        shuffle, samples = timed(lambda t=trustee: kit_shuffle(election, t, folder), repeats)
        kit_shuffles += samples
        checks += timed(lambda t=trustee, s=shuffle: trustees.submit_shuffle(t, s), 1)[1]
    for trustee in election.trustees.order_by("number"):
        partial, samples = timed(lambda t=trustee: kit_decrypt(election, t, folder), repeats)
        kit_decrypts += samples
        decrypt_checks += timed(lambda t=trustee, p=partial: trustees.submit_partial_decryption(t, p), 1)[1]
    timings["shuffle_by_kit"] = median_of(kit_shuffles)
    timings["shuffle_upload_checked"] = median_of(checks)
    timings["decrypt_by_kit"] = median_of(kit_decrypts)
    timings["decrypt_upload_checked"] = median_of(decrypt_checks)
    election, [counting] = timed(lambda: verifiable_count.count_verifiable(election, seed=1), 1)
    timings["result_verify_and_count_s"] = round(counting, 1)
    archive = box.archive(election)
    _, samples = timed(lambda: engine.verify(archive, election.belenios.uuid), repeats)
    timings["verify_final_archive"] = median_of(samples)
    timings["archive_bytes"] = len(archive)
    timings["shuffle_events"] = engine.event_types(archive).count("Shuffle")
    timings["elected"] = election.result["elected"]
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1, help="runs of each kit step and of the final verify")
    parser.add_argument("--database", default=vote_bench.DATABASE, help="dropped and made afresh")
    options = parser.parse_args()

    vote_bench.DATABASE = options.database
    vote_bench.prepare_database()
    os.environ.update(vote_bench.server_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    from governance.elections.models import BoxEvent, Participation

    with tempfile.TemporaryDirectory(prefix="belenios-bench-") as folder:
        os.environ["BELENIOS_WORK_DIR"] = str(Path(folder) / "work")
        election_id, codes, candidates, made = set_up_verifiable(options.electors, options.candidates, folder)
        port = vote_bench.free_port()
        server = vote_bench.start_gunicorn(port, options.workers)
        try:
            casting = cast_all(port, election_id, codes, candidates, options.clients)
        finally:
            server.terminate()
            server.wait()
        ballots = BoxEvent.objects.filter(election_id=election_id, kind="Ballot").count()
        participations = Participation.objects.filter(election_id=election_id).count()
        casting["credentials_made_s"] = round(made, 1)
        casting["ballot_events"], casting["participations"] = ballots, participations
        casting["nothing_lost"] = ballots == participations == casting["receipts"] == options.electors
        result = {"electors": options.electors, "candidates": options.candidates, "casting": casting}
        result["count"] = tally(election_id, folder, options.repeats)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
