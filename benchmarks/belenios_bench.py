"""Verifiable (Belenios) elections at scale: casting over HTTP on several app servers and a worker
at once, then the close, each trustee's shuffle and decryption and the count, each beside the bare tool.

    .venv/bin/python benchmarks/belenios_bench.py [--electors 1000] [--candidates 10] [--clients 8]
        [--servers 2] [--workers 1] [--worker-share 0.1] [--repeats 1] [--no-count] [--database cw_elections_bench]
        [--http-window 0] [--fill-threads 4]

Creates the database `--database` afresh, sets up a ranked verifiable election with `electors`
Belenios credentials and a 2-of-2 key made by the trustee kit, and starts `--servers` gunicorn
processes on different ports sharing nothing but PostgreSQL. Clients cast one ballot per elector
through the real page (`POST /elections/<id>/vote/cast/`), spread over the servers, while a worker
process keys a `--worker-share` of the electors' ballots as postal votes through `cast_ballot`. A
cast counts as received only when its page shows the receipt. Nothing is lost when sent = receipts
shown = receipts in the database's public list (the same hashes) = ballots = participations =
electors; then the close (asked for as the officer's page asks, and run, like each trustee's upload
check and the count, by a real `db_worker` on the `long_steps` queue) writes the archive, which must
hold one Ballot event per elector and pass `belenios-tool election verify` run on its own, and the
papers the trustees decrypt must be exactly the ranks sent. The bare tool's `generate-ballot` on the
election's setup (the archive as the poll opened, every ballot's ground), as many at once as the
servers have workers, measured before and after the casting on that same archive (their mean, the
machine's speed drifting), is the baseline for the casting rate and its CPU, which
is split between the app servers' own processes and the tool's (`--worker-share 0` leaves the cores
to the casting over HTTP alone); its `shuffle` and `decrypt-threshold` on the same archive are the
baselines for the trustee kit's. Rates and p50/p99 are given for the first and the last fifth of the
casts (an empty box and a full one). With `--http-window w`, only the first and the last w electors
cast over HTTP (the worker keying its share beside them) and the worker alone fills the box between
the two windows through `cast_ballot`, `--fill-threads` at once, so a large poll's start and end are
measured without hours of HTTP in between; the fill's rate is reported, and every ballot, filled or
not, is in the checks. With the count, `close_to_result` gives the time from the close to the result
with the trustees answering at once, each on their own computer (the shuffles in turn, the
decryptions together, every upload checked in turn: the measured steps added along that path),
beside the sum of the bare tool's steps on the same archives (the tally, each shuffle and
decryption, the result and one verify). Prints JSON; if any check fails it names it on stderr and
exits 1.
"""

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vote_bench  # noqa: E402  (the gunicorn and HTTP driver we share)
from stored_checks import same, verdict  # noqa: E402
from tool_baselines import bare, independent_verify, machine, median_of, server_cpu, timed  # noqa: E402

REPOSITORY = vote_bench.REPOSITORY


def set_up_verifiable(electors, candidates, folder):
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from governance.bodies.models import Body, BodyKind
    from governance.elections import trustees
    from governance.elections.belenios import engine
    from governance.elections.credentials import code_lookup
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
    roll = Elector.objects.bulk_create(
        Elector(election=election, member=m, credential_hash=code_lookup(c.private))  # as `issue_credential` keeps it
        for m, c in zip(members[candidates:], credentials, strict=True)
    )
    PublicCredential.objects.bulk_create(
        PublicCredential(election=election, elector=e, public=c.public) for e, c in zip(roll, credentials, strict=True)
    )
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    open_poll(election, today=election.poll_notice_on)
    return election.pk, [c.private for c in credentials], [n.pk for n in standing], made


class Receipt(str):
    """The receipt a cast's page showed the voter: the ballot's hash."""


RECEIPT_ON_PAGE = re.compile(rb'class="app-receipt[^"]*">([^<]+)<')


def post_for_receipt(client, path, fields):
    """POST a cast; (the Receipt its page shows, or the status if it shows none, seconds)."""
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
    shown = RECEIPT_ON_PAGE.search(page) if response.status == 200 else None
    return (Receipt(shown.group(1).decode().strip()) if shown else response.status), seconds


def ranks_for(candidates, n):
    order = candidates[n % len(candidates) :] + candidates[: n % len(candidates)]
    return {f"rank_{pk}": str(i + 1) for i, pk in enumerate(order)}


def drive(ports, election_id, clients, jobs):
    """Run `jobs` (callables taking a Client) over `clients` threads, thread i on ports[i % n]:
    (seconds, [(finished at, latency, status)] in the order they finished)."""
    import threading

    local, done, lock, counter = threading.local(), [], threading.Lock(), iter(range(10**9))

    def run(job):
        if not hasattr(local, "client"):
            with lock:
                local.client = vote_bench.Client(ports[next(counter) % len(ports)], election_id)
        status, seconds = job(local.client)
        with lock:
            done.append((time.perf_counter(), seconds, status))

    with ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.perf_counter()
        list(pool.map(run, jobs))
        elapsed = time.perf_counter() - started
    return elapsed, sorted(done)


def phase_figures(done):
    """Rate and latencies over a stretch of finished casts."""
    if len(done) < 2:
        return {}
    span = done[-1][0] - done[0][0] or 1e-9
    return {**vote_bench.figures(span, [d[1] for d in done[1:]]), "casts": len(done)}


def by_rank(item):
    return int(item[1])


def start_worker(election_id, numbered_codes, candidates, threads=1):
    """A separate process keying postal votes through `cast_ballot`, `threads` at once; the codes
    (with each elector's number, which fixes the ranks sent) reach it on stdin."""
    worker = subprocess.Popen(
        [sys.executable, __file__, "--worker", str(election_id), "--worker-threads", str(threads),
         "--database", vote_bench.DATABASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=vote_bench.server_env(), cwd=REPOSITORY,
    )  # fmt: skip
    orders = [[int(k.removeprefix("rank_")) for k, _ in sorted(ranks_for(candidates, n).items(), key=by_rank)]
              for n, _ in numbered_codes]  # fmt: skip
    worker.stdin.write(json.dumps([[code, order] for (_, code), order in zip(numbered_codes, orders, strict=True)]))
    worker.stdin.close()
    return worker


def finish_worker(worker):
    if worker is None:
        return {"receipts": [], "sent": 0}
    out = json.loads(worker.stdout.read())
    if worker.wait():
        raise SystemExit("the worker failed: see its error above")
    return out


def worker_main(election_id, threads):
    from django.db import connection

    from governance.elections.errors import ElectionError
    from governance.elections.models import Channel, Election
    from governance.elections.voting import cast_ballot, elector_for_credential

    election = Election.objects.get(pk=election_id)

    def key(code_and_order):
        code, order = code_and_order
        started = time.perf_counter()
        try:
            return cast_ballot(election, elector_for_credential(election, code), order, Channel.POST), started
        except ElectionError as error:
            print(f"worker: a postal vote was refused: {error}", file=sys.stderr)
            return None, started
        finally:
            connection.close()

    papers = json.loads(sys.stdin.read())
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        keyed = [(receipt, time.perf_counter() - began) for receipt, began in pool.map(key, papers)]
    elapsed = time.perf_counter() - started
    latencies = [seconds for _, seconds in keyed]
    p50_ms = round(statistics.median(latencies) * 1000) if latencies else None
    print(json.dumps({"receipts": [r for r, _ in keyed if r], "sent": len(keyed), "p50_ms": p50_ms,
                      "seconds": round(elapsed, 1), "threads": threads}))  # fmt: skip


def cast_stretch(ports, election_id, numbered_codes, candidates, clients, worker_share):
    """Cast `numbered_codes` over HTTP while the worker keys a `worker_share` of them at once."""
    cast_path = f"/elections/{election_id}/vote/cast/"
    by_worker = int(len(numbered_codes) * worker_share)
    worker = start_worker(election_id, numbered_codes[:by_worker], candidates) if by_worker else None

    def ballot(code, n):
        return lambda client: post_for_receipt(client, cast_path, {"credential": code, **ranks_for(candidates, n)})

    jobs = [ballot(code, n) for n, code in numbered_codes[by_worker:]]
    elapsed, done = drive(ports, election_id, clients, jobs)
    return elapsed, done, finish_worker(worker)


def cast_all(ports, election_id, codes, candidates, options, servers):
    """Every elector votes. With `--http-window w`, the first and the last w electors cast over HTTP
    (with the worker keying its share at once) and the worker alone fills the box between them with
    `--fill-threads` at once; otherwise all cast over HTTP."""
    numbered, window = list(enumerate(codes)), options.http_window
    stretches = [numbered] if not window or 2 * window >= len(codes) else [numbered[:window], numbered[-window:]]
    casting, http_done, worker_outs, filled = {}, [], [], []
    http_seconds = own_cpu = tool_cpu = 0.0
    for number, stretch in enumerate(stretches):
        if number == 1:
            filler = start_worker(election_id, numbered[window:-window], candidates, options.fill_threads)
            filled.append(finish_worker(filler))
            casting["fill"] = {
                **{k: v for k, v in filled[0].items() if k != "receipts"},
                "receipts": len(filled[0]["receipts"]),
                "per_second": round(filled[0]["sent"] / filled[0]["seconds"], 1),
            }
        own_before, tools_before = server_cpu(servers)
        elapsed, done, worker_out = cast_stretch(ports, election_id, stretch, candidates, options.clients,
                                                 options.worker_share)  # fmt: skip
        own_after, tools_after = server_cpu(servers)
        own_cpu, tool_cpu = own_cpu + own_after - own_before, tool_cpu + tools_after - tools_before
        http_seconds += elapsed
        http_done.append(done)
        worker_outs.append(worker_out)
    jobs = sum(len(done) for done in http_done)
    fifth = max(2, len(http_done[0]) // 5)
    first, last = (http_done[0][:fifth], http_done[-1][-fifth:]) if len(http_done) == 1 else http_done
    trivial = f"/elections/{election_id}/vote/received/"
    t_elapsed, t_done = drive(ports, election_id, options.clients, [lambda client: client.get(trivial)] * jobs)
    every = [d for done in http_done for d in done]
    return {
        **casting,
        "ballots_http": vote_bench.figures(http_seconds, [d[1] for d in every]),
        "at_the_start": phase_figures(first),
        "at_the_end": phase_figures(last),
        "trivial_page": vote_bench.figures(t_elapsed, [d[1] for d in t_done]),
        "server_cpu_ms_per_cast": round((own_cpu + tool_cpu) / jobs * 1000, 1),
        "of_which_the_tool_ms": round(tool_cpu / jobs * 1000, 1),
        "of_which_the_app_ms": round(own_cpu / jobs * 1000, 1),
        "worker": {
            "sent": sum(w["sent"] for w in worker_outs),
            "receipts": sum(len(w["receipts"]) for w in worker_outs),
        },
        "sent": jobs + sum(w["sent"] for w in worker_outs + filled),
        "receipts_shown": [d[2] for d in every if isinstance(d[2], Receipt)]
        + [r for w in worker_outs + filled for r in w["receipts"]],
        "failed_casts": sum(1 for d in every if not isinstance(d[2], Receipt)),
        "failed_trivial": sum(1 for d in t_done if d[2] != 200),
    }


def setup_archive(election_id):
    """The election's archive as the poll opened: its setup alone, what every ballot is made against."""
    from governance.elections import box
    from governance.elections.belenios import engine
    from governance.elections.models import Election

    archive = box.archive(Election.objects.get(pk=election_id))
    if engine.event_types(archive) != ["Setup"]:
        raise SystemExit(f"the baseline's archive holds more than the setup: {engine.event_types(archive)[:3]}")
    return archive


def bare_ballots(election_id, archive, codes, candidates, parallel, runs):
    """The bare tool's `generate-ballot` on `archive` (the setup: before and after the casting
    alike, since an archive with the ballots in makes the tool read them all): ballots a second
    with `parallel` at once, and CPU a ballot."""
    from governance.elections.models import Election

    election = Election.objects.get(pk=election_id)
    secrets = {"privcred": codes[0] + "\n", "ballot.json": json.dumps([list(range(1, len(candidates) + 1))])}
    wall, cpu = bare(archive, election.belenios.uuid, "election", "generate-ballot",
                     "--privcred=privcred", "--ballot=ballot.json", parallel=parallel, runs=runs,
                     secrets=secrets)  # fmt: skip
    return {"per_second": round(1 / wall, 1), "cpu_ms_per_ballot": round(cpu * 1000, 1), "parallel": parallel}


QUEUE_WAITS = []  # seconds from each step's request to the worker starting it


def on_the_worker(election, name, **inputs):
    """Seconds the worker took over the step `name`, asked for as the page asks for it
    (`long_steps.request_step`) and run by a real `db_worker` on the `long_steps` queue; exits,
    naming the step, if it did not finish or was refused."""
    from django.contrib.auth import get_user_model

    from governance.elections import long_steps
    from governance.elections.models import LongStep

    officer, _ = get_user_model().objects.get_or_create(email="officer-bench@example.org")
    step = long_steps.request_step(election, name, actor=officer, **inputs)
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "long_steps", "--batch", "--no-startup-delay"],
        cwd=REPOSITORY, env=os.environ, capture_output=True, text=True,
    )  # fmt: skip
    step = LongStep.objects.get(pk=step.pk)
    if worker.returncode or not step.finished_at or step.problem:
        raise SystemExit(f"{step}: did not finish on the worker: {step.problem or worker.stderr[-2000:]}")
    QUEUE_WAITS.append((step.started_at - step.requested_at).total_seconds())
    return (step.finished_at - step.started_at).total_seconds()


def close(election_id):
    from django.utils import timezone

    from governance.elections import box
    from governance.elections.belenios import engine
    from governance.elections.models import Election

    Election.objects.filter(pk=election_id).update(poll_closes_at=timezone.now())  # the closing time has come
    election = Election.objects.get(pk=election_id)
    seconds = on_the_worker(election, "close_poll")
    archive = box.archive(election)
    passed, verify_s = independent_verify(archive, election.belenios.uuid)
    ballot_events = engine.event_types(archive).count("Ballot")
    tally_s = bare(archive, election.belenios.uuid, "election", "compute-encrypted-tally")[0]
    return {"close_s": round(seconds, 1), "archive_verifies": passed, "independent_verify_s": verify_s,
            "bare_tally_s": round(tally_s, 1), "ballot_events": ballot_events}  # fmt: skip


def close_to_result(close_figures, count):
    """From the close to the result with the trustees answering at once, each on their own computer
    (the shuffles one after another, the decryptions at the same time, each upload checked in turn),
    beside the sum of the bare tool's own steps on the same archives: the tally, each shuffle and
    decryption, the result and one verify."""
    shuffles = [v for k, v in count.items() if k.endswith("_shuffle")]
    decryptions = [v for k, v in count.items() if k.endswith("_decrypt")]
    ours = (close_figures["close_s"] + sum(s["kit"]["median_s"] + s["upload_checked_s"] for s in shuffles)
            + max(d["kit"]["median_s"] for d in decryptions) + sum(d["upload_checked_s"] for d in decryptions)
            + count["verify_and_count_s"])  # fmt: skip
    bare_steps = (close_figures["bare_tally_s"] + sum(s["bare_tool_s"] for s in shuffles + decryptions)
                  + count["bare_compute_result_s"] + count["bare_verify_before_count_s"])  # fmt: skip
    return {"ours_s": round(ours, 1), "bare_steps_s": round(bare_steps, 1), "ratio": round(ours / bare_steps, 2)}


def tally(election_id, folder, repeats):
    from governance.elections import box
    from governance.elections.belenios import engine, trustee_kit
    from governance.elections.demo import kit_decrypt, kit_shuffle
    from governance.elections.models import Election

    election = Election.objects.get(pk=election_id)
    uuid, timings = election.belenios.uuid, {}
    for trustee in election.trustees.order_by("number"):
        archive = box.archive(election)
        bare_s = bare(archive, uuid, "election", "shuffle", f"--trustee-id={trustee.number}")[0]
        shuffle, samples = timed(lambda t=trustee: kit_shuffle(election, t, folder), repeats)
        check = on_the_worker(election, "shuffle", trustee=trustee, upload=shuffle)
        timings[f"trustee_{trustee.number}_shuffle"] = {
            "kit": median_of(samples), "bare_tool_s": round(bare_s, 1), "upload_checked_s": round(check, 1)
        }  # fmt: skip
    for trustee in election.trustees.order_by("number"):
        keys = Path(folder) / f"trustee-{trustee.number}"
        key, decryption_key = trustee_kit.private_key(keys).resolve(), keys.with_suffix(".dkey").resolve()
        command = ("election", "decrypt-threshold", f"--key={key}", f"--decryption-key={decryption_key}",
                   f"--trustee-id={trustee.number}")  # fmt: skip
        bare_s = bare(box.archive(election), uuid, *command)[0]
        partial, samples = timed(lambda t=trustee: kit_decrypt(election, t, folder), repeats)
        check = on_the_worker(election, "decrypt", trustee=trustee, upload=partial)
        timings[f"trustee_{trustee.number}_decrypt"] = {
            "kit": median_of(samples), "bare_tool_s": round(bare_s, 1), "upload_checked_s": round(check, 1)
        }  # fmt: skip
    archive = box.archive(election)
    timings["bare_verify_before_count_s"] = round(bare(archive, uuid, "election", "verify")[0], 1)
    timings["bare_compute_result_s"] = round(bare(archive, uuid, "election", "compute-result")[0], 1)
    timings["verify_and_count_s"] = round(on_the_worker(election, "count", seed=1), 1)
    election.refresh_from_db()
    archive = box.archive(election)
    timings["archive_bytes"] = len(archive)
    timings["shuffle_events"] = engine.event_types(archive).count("Shuffle")
    timings["final_archive_verifies"] = independent_verify(archive, uuid)[0]
    timings["papers"] = sorted(engine.decrypted_ranks(archive))
    timings["elected"] = election.result["elected"]
    return timings


def stored(election_id):
    from governance.elections import selectors
    from governance.elections.models import Election

    election = Election.objects.get(pk=election_id)
    return {
        "receipts_listed": selectors.ballot_receipts(election),
        "ballots": election.encrypted_ballots.count(),
        "participations": election.participations.count(),
    }


def sent_papers(candidates, electors):
    """The ranks each elector's ballot carried, one per candidate in ballot order (`ranks_for`)."""
    return sorted([(position - n) % candidates + 1 for position in range(candidates)] for n in range(electors))


def casting_checks(casting, electors):
    shown, listed = casting.pop("receipts_shown"), casting.pop("receipts_listed")
    casting.update(receipts_shown=len(shown), receipts_listed=len(listed))
    return {
        "sent = receipts shown = receipts listed = ballots = participations = electors": same(
            electors=electors, sent=casting["sent"], shown=len(shown), listed=len(listed),
            ballots=casting["ballots"], participations=casting["participations"],
        ),
        "the receipts shown are the receipts listed": sorted(shown) == sorted(listed),
        "every trivial page answered": casting["failed_trivial"] == 0,
    }  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--servers", type=int, default=2, help="gunicorn processes on their own ports")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per server")
    parser.add_argument("--worker-share", type=float, default=0.1, help="share of electors keyed by the worker")
    parser.add_argument("--bare-ballots", type=int, default=40, help="ballots the bare tool makes for the baseline")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each kit step")
    parser.add_argument("--no-count", action="store_true", help="stop after the close and the verify")
    parser.add_argument("--database", default=vote_bench.DATABASE, help="dropped and made afresh")
    parser.add_argument(
        "--http-window",
        type=int,
        default=0,
        help="cast only the first and last N electors over HTTP; the worker fills the box between",
    )
    parser.add_argument("--fill-threads", type=int, default=4, help="the filling worker's casts at once")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-threads", type=int, default=1, help=argparse.SUPPRESS)
    options = parser.parse_args()

    vote_bench.DATABASE = options.database
    if options.worker is None:
        vote_bench.prepare_database()
    os.environ.update(vote_bench.server_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The close, the trustees' upload checks and the count are queued, as the pages queue them, for a worker.
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    if options.worker is not None:
        return worker_main(options.worker, options.worker_threads)
    result = {"command": " ".join(sys.argv), "machine": machine(), "electors": options.electors,
              "candidates": options.candidates,
              "servers": f"{options.servers} gunicorn x {options.workers} worker(s) x 4 threads"}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="belenios-bench-") as folder:
        with contextlib.redirect_stdout(sys.stderr):  # the kit's "Wrote …" lines; stdout is the JSON alone
            election_id, codes, candidates, made = set_up_verifiable(options.electors, options.candidates, folder)
        opened = setup_archive(election_id)
        bare_before = bare_ballots(election_id, opened, codes, candidates, min(2, os.cpu_count()), options.bare_ballots)
        ports = [vote_bench.free_port() for _ in range(options.servers)]
        servers = [vote_bench.start_gunicorn(port, options.workers) for port in ports]
        try:
            casting = cast_all(ports, election_id, codes, candidates, options, servers)
        finally:
            for server in servers:
                server.terminate()
                server.wait()
        # The baseline again after the casting, the machine's speed having drifted meanwhile: their mean is used.
        bare_after = bare_ballots(election_id, opened, codes, candidates, min(2, os.cpu_count()), options.bare_ballots)
        result["bare_tool_ballots"] = {
            key: round((bare_before[key] + bare_after[key]) / 2, 1) for key in ("per_second", "cpu_ms_per_ballot")
        } | {"parallel": bare_before["parallel"], "before_the_casting": bare_before, "after_it": bare_after}
        casting.update(stored(election_id), credentials_made_s=round(made, 1))
        checks = casting_checks(casting, options.electors)
        casting["nothing_lost"] = all(checks.values())
        casting["cpu_ratio_to_bare_tool"] = round(
            casting["server_cpu_ms_per_cast"] / result["bare_tool_ballots"]["cpu_ms_per_ballot"], 2
        )
        casting["ratio_to_bare_tool_rate"] = round(
            casting["ballots_http"]["per_second"] / result["bare_tool_ballots"]["per_second"], 2
        )
        result["casting"] = casting
        # The casting's figures, before hours of close and count can lose them (a hang, a killed run).
        print(json.dumps({"casting, before the close": casting, "checks so far": checks}), file=sys.stderr, flush=True)
        result["close"] = close(election_id)
        checks["the archive verifies after the close"] = result["close"]["archive_verifies"]
        checks["the archive holds one Ballot event per elector"] = result["close"]["ballot_events"] == options.electors
        if not options.no_count:
            with contextlib.redirect_stdout(sys.stderr):
                result["count"] = tally(election_id, folder, options.repeats)
            result["close_to_result"] = close_to_result(result["close"], result["count"])
            checks["the final archive verifies"] = result["count"]["final_archive_verifies"]
            checks["the papers decrypted are the ranks sent"] = result["count"].pop("papers") == sent_papers(
                options.candidates, options.electors
            )
    result["longest_wait_for_the_worker_s"] = round(max(QUEUE_WAITS), 1)
    result["checks"] = checks
    print(json.dumps(result, indent=1))
    return verdict(checks, "what was sent is not what was stored, or the archive does not verify")


if __name__ == "__main__":
    sys.exit(main())
