"""Keying a postbag: two operators each key every paper of a bag of 2,000, then the bag is taken in.

    .venv/bin/python benchmarks/postbag_bench.py [--papers 2000] [--protocol belenios|sealed]
        [--database cw_postbag_bench]

Creates the database `--database` afresh on the local PostgreSQL (as `vote_bench.py` does), an
election whose poll is open with one voting code per paper (verifiable by default, as every new
election is: each code keyed is checked against the roll, each paper taken in is encrypted, checked
and committed by `belenios-tool` through `cast_ballot`; `--protocol sealed` for the earlier
format), two users with the Postal operator role and a postbag of `papers` papers. Each operator
then keys every paper through the real pages in process (Django's test client, all middleware,
the second factor): the keying page (GET) and the paper kept (POST, then the redirect to the next
paper; one warm-up GET each is not counted), interleaved as two people working side by side.
Every 100th elector votes online first, so their paper is refused as a duplicate. The POST that
completes the second keying also takes the bag in (the immediate task backend), and is timed
apart: the take-in's papers a second. A trivial page (the vote-received page) is fetched as often
in the same run, by the same client, as the baseline for the ratio. Once set up and warmed up,
the process freezes what it holds out of the garbage collector's reach (`gc.freeze()`), as each
app server does after start-up (`config/wsgi.py`), and counts the full collections that
happen while the papers are keyed, with the longest.

Checks, and exits non-zero otherwise: each accepted paper is in the box (participations by post =
ballots - online votes = papers accepted), the duplicates are refused, no keying is left, every
baseline page answered; a failed check is named on stderr. Prints JSON: median, 95th percentile
and slowest page between papers (the five slowest named), how many took over 200 ms, and the
ratio of the median to the baseline's.
"""

import argparse
import contextlib
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vote_bench  # noqa: E402  (the database set-up and the election we share)
from stored_checks import verdict  # noqa: E402

LIMIT_MS = 200


def operators():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from config.roles import grant_role

    users = []
    for n in (1, 2):
        user = get_user_model().objects.create_user(email=f"operator{n}-{time.time_ns()}@example.org")
        grant_role(user, "Postal operator")
        TOTP.activate(user, generate_totp_secret())
        users.append(user)
    assert Authenticator.objects.filter(user__in=users).count() == 2
    return users


def timed(call, *args):
    started = time.perf_counter()
    response = call(*args)
    return response, (time.perf_counter() - started) * 1000


class FullCollections:
    """The garbage collector's full collections (generation 2) while it listens, each in ms."""

    def __init__(self):
        self.durations, self.started = [], None
        gc.callbacks.append(self.heard)

    def heard(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self.started = time.perf_counter()
        elif self.started is not None:
            self.durations.append((time.perf_counter() - self.started) * 1000)

    def stop(self):
        gc.callbacks.remove(self.heard)


def key_bag(batch, clients, codes, candidates):
    from django.urls import reverse

    url = reverse("elections:key_postbag", args=[batch.pk])
    pages, take_in_ms = [], None
    for position, code in enumerate(codes, start=1):
        form = {"position": position, f"mark-{candidates[0]}": "1", f"mark-{candidates[1]}": "2", "code": code}
        for turn, client in enumerate(clients):
            page, elapsed = timed(client.get, url)
            assert page.status_code == 200 and f"Paper {position} of" in page.content.decode(), page.status_code
            pages.append((elapsed, f"GET paper {position} by operator {turn + 1}"))
            kept, elapsed = timed(client.post, url, form)
            assert kept.status_code == 302, kept.content.decode()[:500]
            if position == len(codes) and turn == len(clients) - 1:
                take_in_ms = elapsed  # this POST also took the whole bag in
            else:
                pages.append((elapsed, f"POST paper {position} by operator {turn + 1}"))
    return pages, take_in_ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--protocol", choices=["belenios", "sealed"], default="belenios")
    parser.add_argument("--database", default="cw_postbag_bench")
    args = parser.parse_args()
    vote_bench.DATABASE = args.database
    vote_bench.prepare_database()
    os.environ.update(vote_bench.server_env())
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(vote_bench.REPOSITORY))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from governance.elections import postbag
    from governance.elections.models import Ballot, Channel, Election, EncryptedBallot, Protocol
    from governance.elections.paper_models import KeyedPaper, Outcome
    from governance.elections.voting import cast_ballot

    setup_test_environment()  # the test client's hosts and a local-memory email outbox
    if args.protocol == "belenios":
        import belenios_bench

        with tempfile.TemporaryDirectory(prefix="postbag-bench-") as folder, contextlib.redirect_stdout(sys.stderr):
            election_id, codes, candidates, _ = belenios_bench.set_up_verifiable(args.papers, 4, folder)
        stored = EncryptedBallot.objects
    else:
        election_id, codes, candidates = vote_bench.set_up_election(args.papers)
        Election.objects.filter(pk=election_id).update(protocol=Protocol.SEALED)
        stored = Ballot.objects
    election = Election.objects.get(pk=election_id)
    online = codes[::100]
    for code in online:
        cast_ballot(election, code, [candidates[1]], Channel.INTERNET)
    users = operators()
    received = timezone.now()
    batch = postbag.open_postbag(
        election, label="Bench", papers=args.papers, received_at=received, operators=[u.email for u in users]
    )
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)

    from django.urls import reverse

    trivial = reverse("elections:received", args=[election.pk])  # a small page through the same middleware
    for client in clients:  # one warm-up each (templates compiled, connections made), not counted
        client.get(reverse("elections:key_postbag", args=[batch.pk]))
        client.get(trivial)
    gc.freeze()  # as each app server does once started (config/wsgi.py)
    baseline, baseline_statuses = [], set()
    for _ in range(args.papers):
        page, elapsed = timed(clients[0].get, trivial)
        baseline.append(elapsed)
        baseline_statuses.add(page.status_code)
    collections = FullCollections()
    started = time.perf_counter()
    pages, take_in_ms = key_bag(batch, clients, codes, candidates)
    total_s = time.perf_counter() - started
    collections.stop()

    accepted = batch.returned.filter(outcome=Outcome.ACCEPTED).count()
    duplicates = batch.returned.filter(outcome=Outcome.DUPLICATE).count()
    by_post = election.participations.filter(channel=Channel.POST).count()
    ballots = stored.filter(election=election).count()
    checks = {
        "accepted_equals_papers_less_duplicates": accepted == args.papers - len(online),
        "duplicates_refused": duplicates == len(online),
        "post_participations_equal_accepted": by_post == accepted,
        "ballots_equal_all_votes": ballots == accepted + len(online),
        "no_keying_left": not KeyedPaper.objects.exists(),
        "every_baseline_page_answered": baseline_statuses == {200},
    }
    slowest = sorted((round(ms, 1), where) for ms, where in pages)[-5:]  # (ms, "GET|POST paper n by operator k")
    pages = sorted(ms for ms, _ in pages)
    median = statistics.median(pages)
    result = {
        "papers": args.papers,
        "protocol": args.protocol,
        "operators": 2,
        "page_loads": len(pages),
        "page_ms_median": round(median, 1),
        "page_ms_p95": round(pages[int(0.95 * (len(pages) - 1))], 1),
        "page_ms_slowest": round(pages[-1], 1),
        "pages_over_200ms": sum(1 for p in pages if p > LIMIT_MS),
        "baseline_ms_median": round(statistics.median(baseline), 2),
        "ratio_to_baseline": round(median / statistics.median(baseline), 1),
        "keying_minutes_both_operators_in_turn": round(total_s / 60, 1),
        "take_in_seconds": round(take_in_ms / 1000, 1),
        "take_in_papers_per_second": round(args.papers / (take_in_ms / 1000), 1),
        "slowest_pages": slowest,
        "full_collections_while_keying": len(collections.durations),
        "full_collection_ms_longest": round(max(collections.durations, default=0), 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "checks": checks,
    }
    print(json.dumps(result, indent=2))
    sys.exit(verdict(checks, "the papers keyed are not what the box holds"))


if __name__ == "__main__":
    main()
