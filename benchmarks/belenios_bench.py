"""Verifiable (Belenios) elections: casting over HTTP, then shuffle, decrypt and verify times.

    .venv/bin/python benchmarks/belenios_bench.py [--electors 1000] [--candidates 10] [--clients 8] [--workers 2]

Creates the database `cw_elections_bench` afresh (as `vote_bench.py` does), sets up a verifiable
election with `electors` Belenios credentials and a 2-of-2 key made by the trustee kit, starts
gunicorn and casts one ballot per elector through the real page (`POST /elections/<id>/vote/cast/`:
the code's public credential derived, the ballot made and checked by `belenios-tool`, appended
under the box's advisory lock), beside a trivial page fetched as often. It checks that ballot
events = participations = electors (nothing lost), then closes the poll and times each trustee's
shuffle (the trustee kit), each partial decryption and the count (compute-result, `election
verify` of the whole archive, our count). Prints JSON. 10,000 electors is a manual run (about an
hour on two cores), not CI: `--electors 10000`.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

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


def cast_all(port, election_id, codes, candidates, clients):
    cast_path = f"/elections/{election_id}/vote/cast/"

    def ballot(code, n):
        order = candidates[n % len(candidates) :] + candidates[: n % len(candidates)]
        ranks = {f"rank_{pk}": str(i + 1) for i, pk in enumerate(order)}
        return lambda client: client.post(cast_path, {"credential": code, **ranks})

    jobs = [ballot(c, n) for n, c in enumerate(codes)]
    elapsed, latencies, statuses = vote_bench.drive(port, election_id, clients, jobs)
    trivial = f"/elections/{election_id}/vote/received/"
    t_elapsed, t_latencies, t_statuses = vote_bench.drive(
        port, election_id, clients, [lambda client: client.get(trivial)] * len(codes)
    )
    return {
        "ballots": vote_bench.figures(elapsed, latencies),
        "trivial_page": vote_bench.figures(t_elapsed, t_latencies),
        "failed_casts": sum(1 for s in statuses if s != 200),
        "failed_trivial": sum(1 for s in t_statuses if s != 200),
    }


def tally(election_id, folder):
    from governance.elections import trustees
    from governance.elections.demo import kit_decrypt, kit_shuffle
    from governance.elections.models import Election
    from governance.elections.services import close_poll

    election = Election.objects.get(pk=election_id)
    timings = {}
    started = time.perf_counter()
    close_poll(election, now=election.poll_closes_at)
    timings["close_and_encrypted_tally_s"] = round(time.perf_counter() - started, 1)
    for trustee in election.trustees.order_by("number"):
        started = time.perf_counter()
        shuffle = kit_shuffle(election, trustee, folder)
        timings[f"shuffle_trustee_{trustee.number}_kit_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        trustees.submit_shuffle(trustee, shuffle)
        timings[f"shuffle_trustee_{trustee.number}_checked_s"] = round(time.perf_counter() - started, 1)
    for trustee in election.trustees.order_by("number"):
        started = time.perf_counter()
        partial = kit_decrypt(election, trustee, folder)
        timings[f"decrypt_trustee_{trustee.number}_kit_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        trustees.submit_partial_decryption(trustee, partial)
        timings[f"decrypt_trustee_{trustee.number}_checked_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    election = trustees.count_verifiable(election, seed=1)
    timings["result_verify_and_count_s"] = round(time.perf_counter() - started, 1)
    timings["elected"] = election.result["elected"]
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

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
        casting["nothing_lost"] = ballots == participations == options.electors - casting["failed_casts"]
        result = {"electors": options.electors, "candidates": options.candidates, "casting": casting}
        result["count"] = tally(election_id, folder)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
