"""Ballots cast over HTTP against gunicorn on PostgreSQL.

    .venv/bin/python benchmarks/vote_bench.py [--electors 1000] [--clients 8] [--workers 2] [--repeats 3]
        [--protocol belenios|sealed]

Creates the database `cw_elections_bench` (dropped and made afresh), migrates it, sets up an
election whose poll is open with `electors` voting codes, starts gunicorn (DEBUG off) on a
loopback port, and drives it with keep-alive `http.client` connections from threads. Each
ballot is the real cast request (`POST /elections/<id>/vote/cast/`). By default the election is
verifiable (Belenios: the ballot made and checked by `belenios-tool` and committed with the
participation; a cast counts as sent when its page shows the receipt); `--protocol sealed`
measures the earlier sealed format (a cast counts when it redirects to the received page). The
same clients then fetch a trivial page the same number of times, as the baseline for the ratio.
Every elector votes once per repeat (a fresh election each repeat). What was sent must be what
was stored: every cast answered as received, sent = received = ballots = participations, the
receipts voters were shown are exactly the receipts the database lists (verifiable), and every
baseline page answered; otherwise the script names what failed on stderr and exits 1. Prints
JSON: medians over the repeats.
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stored_checks import same, verdict  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
DATABASE = "cw_elections_bench"
SERVER_URL = "postgres://postgres@127.0.0.1:5432/"


def prepare_database():
    import psycopg

    with psycopg.connect(SERVER_URL + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPOSITORY, env=server_env(), check=True)


def server_env():
    return {
        **os.environ,
        "DATABASE_URL": SERVER_URL + DATABASE,
        "DEBUG": "false",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def set_up_election(electors):
    """An election with its poll open and `electors` codes; returns (election id, codes, candidates)."""
    import datetime

    from django.utils import timezone

    from governance.bodies.models import Body, BodyKind
    from governance.elections import credentials, sealing
    from governance.elections.models import (
        Channel,
        Election,
        Elector,
        Method,
        Nomination,
        NominationStatus,
        RefusedVote,
        State,
    )
    from governance.elections.timetable import compute
    from membership.models import Constituency, ConstituencyKind, Member

    stamp = time.time_ns()
    body = Body.objects.create(name="Council of Governors", slug=f"bench-{stamp}", kind=BodyKind.COUNCIL_OF_GOVERNORS)
    constituency = Constituency.objects.create(
        name=f"Bench {stamp}", slug=f"bench-{stamp}", kind=ConstituencyKind.PUBLIC
    )
    dates = compute(timezone.localdate() + datetime.timedelta(days=60)).as_fields()
    _, public_key = sealing.new_key_pair()
    election = Election.objects.create(
        title="Benchmark election",
        body=body,
        constituency=constituency,
        seats=2,
        method=Method.MER2014,
        state=State.POLL_OPEN,
        public_key=public_key,
        **dates,
    )
    members = Member.objects.bulk_create(
        Member(membership_number=f"B{stamp % 10**8:08d}{n:06d}"[:20], first_name="Voter", last_name=f"N{n}")
        for n in range(electors + 4)
    )
    candidates = [
        Nomination.objects.create(
            election=election,
            member=member,
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=position,
            submitted_on=election.notice_on,
        )
        for position, member in enumerate(members[:4], start=1)
    ]
    codes = [credentials.new_credential() for _ in range(electors)]
    Elector.objects.bulk_create(
        Elector(election=election, member=member, credential_hash=credentials.credential_hash(code))
        for member, code in zip(members[4:], codes, strict=True)
    )
    RefusedVote.objects.bulk_create(RefusedVote(election=election, channel=c) for c in Channel.values)
    return election.pk, codes, [c.pk for c in candidates]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, workers):
    server = subprocess.Popen(
        [
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=REPOSITORY,
        env=server_env(),
        executable=str(Path(sys.executable).with_name("gunicorn")),
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


class Client:
    """One keep-alive connection with its own CSRF cookie and token."""

    def __init__(self, port, election_id):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.connection.request("GET", f"/elections/{election_id}/vote/")
        response = self.connection.getresponse()
        page = response.read().decode()
        self.cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path, fields):
        body = urlencode({"csrfmiddlewaretoken": self.token, **fields}, doseq=True)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.cookie}",
            "Referer": "http://127.0.0.1/",
        }
        started = time.perf_counter()
        self.connection.request("POST", path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started

    def get(self, path):
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started


def drive(port, election_id, clients, jobs):
    """Run `jobs` (callables taking a Client) over `clients` threads; (seconds, latencies, statuses)."""
    local = threading.local()
    latencies, statuses, lock = [], [], threading.Lock()

    def run(job):
        if not hasattr(local, "client"):
            local.client = Client(port, election_id)
        status, seconds = job(local.client)
        with lock:
            latencies.append(seconds)
            statuses.append(status)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(lambda _: Client(port, election_id), range(clients)))  # warm up the workers
        started = time.perf_counter()
        list(pool.map(run, jobs))
        elapsed = time.perf_counter() - started
    return elapsed, latencies, statuses


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def figures(elapsed, latencies):
    return {
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
    }


def one_run(port, electors, clients, protocol):
    from governance.elections.models import Ballot, EncryptedBallot, Participation

    if protocol == "belenios":
        import tempfile

        import belenios_bench

        with tempfile.TemporaryDirectory(prefix="vote-bench-") as folder:
            election_id, codes, candidates, _ = belenios_bench.set_up_verifiable(electors, 4, folder)
        stored_ballots = EncryptedBallot.objects

        def ballot(code, n):
            fields = {"credential": code, **belenios_bench.ranks_for(candidates, n)}
            return lambda client: belenios_bench.post_for_receipt(client, cast_path, fields)

        def was_received(status):
            return isinstance(status, belenios_bench.Receipt)
    else:
        election_id, codes, candidates = set_up_election(electors)
        stored_ballots = Ballot.objects

        def ballot(code, n):
            ranks = {f"rank_{pk}": str(i + 1) for i, pk in enumerate(candidates[n % 4 :] + candidates[: n % 4])}
            return lambda client: client.post(cast_path, {"credential": code, **ranks})

        def was_received(status):
            return status == 302

    cast_path = f"/elections/{election_id}/vote/cast/"
    elapsed, latencies, statuses = drive(port, election_id, clients, [ballot(c, n) for n, c in enumerate(codes)])
    received = [s for s in statuses if was_received(s)]
    trivial_path = f"/elections/{election_id}/vote/received/"
    t_elapsed, t_latencies, t_statuses = drive(
        port, election_id, clients, [lambda client: client.get(trivial_path)] * electors
    )
    ballots = stored_ballots.filter(election_id=election_id).count()
    participations = Participation.objects.filter(election_id=election_id).count()
    checks = {
        "every cast answered as received": len(received) == electors,
        "sent = received = ballots stored = participations": same(
            sent=electors, received=len(received), ballots=ballots, participations=participations
        ),
        "every trivial page answered": all(s == 200 for s in t_statuses),
    }
    if protocol == "belenios":  # the receipts voters were shown are the ones the database lists, each once
        listed = EncryptedBallot.objects.filter(election_id=election_id).values_list("receipt", flat=True)
        checks["receipts shown = receipts stored"] = sorted(received) == sorted(listed)
    return {
        "ballots": figures(elapsed, latencies),
        "trivial_page": figures(t_elapsed, t_latencies),
        "sent": electors,
        "received": len(received),
        "failed_casts": electors - len(received),
        "failed_trivial": sum(1 for s in t_statuses if s != 200),
        "ballots_stored": ballots,
        "participations_stored": participations,
        "checks": checks,
        "consistent": all(checks.values()),
    }


def main():
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--protocol", choices=["belenios", "sealed"], default="belenios")
    parser.add_argument("--database", default="cw_elections_bench", help="dropped and made afresh")
    options = parser.parse_args()

    DATABASE = options.database

    prepare_database()
    os.environ.update(server_env())
    sys.path.insert(0, str(REPOSITORY))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    port = free_port()
    server = start_gunicorn(port, options.workers)
    try:
        runs = [one_run(port, options.electors, options.clients, options.protocol) for _ in range(options.repeats)]
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(path):
        section, key = path
        return statistics.median(run[section][key] for run in runs)

    ballots = {key: median(("ballots", key)) for key in ("per_second", "p50_ms", "p95_ms", "p99_ms")}
    trivial = {key: median(("trivial_page", key)) for key in ("per_second", "p50_ms", "p95_ms", "p99_ms")}
    print(
        json.dumps(
            {
                "protocol": options.protocol,
                "electors": options.electors,
                "clients": options.clients,
                "gunicorn": f"{options.workers} workers x 4 threads (gthread), DEBUG off, PostgreSQL",
                "repeats": options.repeats,
                "ballots": ballots,
                "trivial_page": trivial,
                "ratio_ballots_to_trivial_per_second": round(ballots["per_second"] / trivial["per_second"], 3),
                "all_consistent": all(run["consistent"] for run in runs),
                "failed_casts": sum(run["failed_casts"] for run in runs),
                "runs": runs,
            },
            indent=1,
        )
    )
    checks = {
        f"run {n}: {name}": passed for n, run in enumerate(runs, start=1) for name, passed in run["checks"].items()
    }
    return verdict(checks)


if __name__ == "__main__":
    sys.exit(main())
