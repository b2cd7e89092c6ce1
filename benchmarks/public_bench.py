"""Public pages under concurrent load: gunicorn (4 workers) on PostgreSQL with the demo data.

    .venv/bin/python benchmarks/public_bench.py [--requests 400] [--threads 8] [--repeats 3]
        [--directory 20000] [--only "directory"]

Creates (or reuses) the PostgreSQL database `cw_site_bench`, migrates it and runs `seed_demo`,
grows the partner directory to `--directory` organisations (fictional, each with a postcode among
a few thousand made-up centroids, tagged like the demo's), starts gunicorn with DEBUG off, then
drives each page from Python threads over keep-alive HTTP/1.1 connections on loopback. Prints
JSON: for each page the median over repeats of requests/s and p50/p95/p99 latency (ms), and each
figure's ratio to a trivial page (`/healthz`) measured in the same run. Anonymous public pages are
served from the page cache after the first request (warm-up requests are not counted); the
"uncached" directory searches give every request a query string of its own (a different term or
postcode, and a counter the form ignores), so each one misses the page cache and runs the search.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Another database or port (e.g. beside another run): PUBLIC_BENCH_DATABASE, PUBLIC_BENCH_PORT.
DATABASE = os.environ.get("PUBLIC_BENCH_DATABASE", "cw_site_bench")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
PORT = int(os.environ.get("PUBLIC_BENCH_PORT", "8765"))
DIRECTORY_SIZE = 20_000
TERMS = ["frailty", "falls", "adolescent mental health", "fraility", "dementia", "befriending", "carers", "walks"]
POSTCODE_DISTRICTS = 12  # BQ1 … BQ12, one per demo locality
POSTCODES_PER_DISTRICT = 250
_counter = itertools.count()


def _postcode(district, n):
    return f"BQ{district} {n % 10}{chr(65 + n // 10 % 20)}{chr(65 + n // 200 % 20)}"


def uncached_text_search():
    n = next(_counter)
    return f"/partners/?q={TERMS[n % len(TERMS)].replace(' ', '+')}&n={n}"


def uncached_postcode_search():
    n = next(_counter)
    postcode = _postcode(1 + n % POSTCODE_DISTRICTS, n % POSTCODES_PER_DISTRICT).replace(" ", "+")
    return f"/partners/?postcode={postcode}&within=5&n={n}"


PAGES = {
    "trivial (/healthz)": "/healthz",
    "home": "/",
    "directory filters": "/partners/?interest=dementia&locality=eastbrook",
    "directory text search, cached": "/partners/?q=frailty",
    "directory text search, uncached": uncached_text_search,
    "directory postcode search, cached": "/partners/?postcode=BQ3+5AB&within=5",
    "directory postcode search, uncached": uncached_postcode_search,
    "governed-by": "/how-we-are-governed/",
    "meeting": None,  # a public meeting of the demo data, found after seeding
}
WARMUP_PER_THREAD = 5
FIRST_PUBLIC_MEETING = "from governance.meetings.selectors import public_meetings; print(public_meetings().first().pk)"


def environment():
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def seed_directory(size):
    """Grow the demo directory to `size` organisations with postcodes (idempotent), in this process."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from partners.demo import NAME_FOCUS, SERVICES
    from partners.models import AreaOfInterest, Locality, PartnerOrganisation, Postcode
    from partners.services import entries_changed

    rng = random.Random(24)
    places = list(Locality.objects.order_by("name"))
    for district, place in enumerate(places[:POSTCODE_DISTRICTS], start=1):
        place.postcode_districts = f"BQ{district}"
        place.save(update_fields=["postcode_districts"])
    Postcode.objects.bulk_create(
        [
            Postcode(
                postcode=_postcode(district, n),
                latitude=51.5 + district * 0.04 + rng.uniform(0, 0.04),
                longitude=-1.6 + rng.uniform(0, 0.6),
            )
            for district in range(1, POSTCODE_DISTRICTS + 1)
            for n in range(POSTCODES_PER_DISTRICT)
        ],
        ignore_conflicts=True,
    )
    missing = size - PartnerOrganisation.objects.count()
    areas = list(AreaOfInterest.objects.all())
    through_areas = PartnerOrganisation.areas_of_interest.through
    through_places = PartnerOrganisation.localities.through
    for start in range(0, max(0, missing), 1000):
        batch = []
        for n in range(start, min(missing, start + 1000)):
            area, district = rng.choice(areas), rng.randint(1, POSTCODE_DISTRICTS)
            batch.append(
                PartnerOrganisation(
                    name=f"{NAME_FOCUS.get(area.name, area.name)} {district}-{n}",
                    slug=f"bench-{n}",
                    organisation_type="unincorporated",
                    services=SERVICES.get(area.name, area.name),
                    postcode=_postcode(district, rng.randrange(POSTCODES_PER_DISTRICT)),
                )
            )
        made = PartnerOrganisation.objects.bulk_create(batch)
        through_areas.objects.bulk_create(
            [through_areas(partnerorganisation=p, areaofinterest=rng.choice(areas)) for p in made]
        )
        through_places.objects.bulk_create(
            [through_places(partnerorganisation=p, locality=rng.choice(places)) for p in made]
        )
    if missing > 0:
        entries_changed()
    from django.db import connection

    # What autovacuum does soon after a bulk load (it is off on some shared servers, this one included): the
    # counts the planner needs, the 20,000 row versions the search documents' update left behind dropped, the
    # full-text index's pending list merged, and the visibility map set so index-only scans stay index-only.
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE partners_partnerorganisation, partners_partnerorganisation_localities, "
            "partners_partnerorganisation_areas_of_interest"
        )
    check_directory(size)


def check_directory(size):
    """Exit non-zero unless the directory holds `size` organisations, each placed and with a search document,
    and each found by a text search for its area of interest and by a postcode search in its district."""
    from partners.models import AreaOfInterest, Locality, PartnerOrganisation
    from partners.search import find_partners

    everyone = PartnerOrganisation.objects.filter(listed=True, hidden_from_search_on__isnull=True)
    stored = PartnerOrganisation.objects.count()
    unplaced = everyone.filter(postcode__startswith="BQ", latitude__isnull=True).count()
    undocumented = everyone.filter(search_vector__isnull=True).count()
    problems = []
    if stored != size or unplaced or undocumented:
        problems.append(f"{stored} organisations stored of {size}; {unplaced} unplaced; {undocumented} unsearchable")
    for area in AreaOfInterest.objects.all():
        tagged = set(area.partners.filter(pk__in=everyone).values_list("pk", flat=True))
        found = {p.pk for p in find_partners(q=area.name).all()}
        if tagged - found:
            problems.append(
                f"a search for “{area.name}” misses {len(tagged - found)} of its {len(tagged)} organisations"
            )
    for district, place in enumerate(Locality.objects.order_by("name")[:POSTCODE_DISTRICTS], start=1):
        serving = set(place.partners.values_list("pk", flat=True))
        found = {p.pk for p in find_partners(postcode=_postcode(district, 0), radius=1).all()}
        if serving - found:
            problems.append(f"a search near {_postcode(district, 0)} misses {len(serving - found)} of {place}'s")
    if problems:
        raise SystemExit("The directory is not what was sent:\n" + "\n".join(problems))
    print(f"directory: {stored} organisations, all stored, placed and found", file=sys.stderr)


def seeded(size):
    count = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DATABASE,
            "-tAc",
            "SELECT count(*) FROM partners_partnerorganisation",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return count.isdigit() and int(count) >= size


def prepare_database(directory_size=DIRECTORY_SIZE):
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment(), check=True, cwd=ROOT)
    subprocess.run([*manage, "createcachetable"], env=environment(), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    if not seeded(directory_size):  # seed_demo takes minutes on a shared machine; a seeded database is reused
        subprocess.run([*manage, "seed_demo"], env=environment(), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run(
        [sys.executable, __file__, "--seed-directory", str(directory_size)], env=environment(), check=True, cwd=ROOT
    )
    meeting = subprocess.run(
        [*manage, "shell", "-c", FIRST_PUBLIC_MEETING],
        env=environment(),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    if "meeting" in PAGES:
        PAGES["meeting"] = f"/meetings/{meeting}/"


def start_server():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-w", "4", "-b", f"127.0.0.1:{PORT}", "--keep-alive", "30", "config.wsgi"],
        env=environment(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def drive(path, requests, threads):
    """Send `requests` GETs of `path` (or of what it returns each time, when a function) from `threads`
    keep-alive connections; return (rps, latencies)."""
    per_thread = requests // threads
    latencies, failures, lock = [], [], threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine = []
        for n in range(WARMUP_PER_THREAD + per_thread):
            if n == WARMUP_PER_THREAD:
                barrier.wait()
            started = time.perf_counter()
            connection.request("GET", path() if callable(path) else path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            if n >= WARMUP_PER_THREAD:
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{path}: {len(failures)} responses were not 200 (e.g. {failures[0]})")
    return len(latencies) / elapsed, latencies


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--directory", type=int, default=DIRECTORY_SIZE, help="organisations in the directory")
    parser.add_argument("--only", help="measure only the pages whose name holds this (and the trivial page)")
    parser.add_argument("--seed-directory", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_directory:
        return seed_directory(args.seed_directory)

    if args.only:
        for name in [name for name in PAGES if args.only not in name and name != "trivial (/healthz)"]:
            del PAGES[name]
    prepare_database(args.directory)
    server = start_server()
    try:
        runs = {name: [] for name in PAGES}
        for _ in range(args.repeats):
            for name, path in PAGES.items():
                rps, latencies = drive(path, args.requests, args.threads)
                runs[name].append(
                    {
                        "rps": rps,
                        "p50_ms": 1000 * percentile(latencies, 0.50),
                        "p95_ms": 1000 * percentile(latencies, 0.95),
                        "p99_ms": 1000 * percentile(latencies, 0.99),
                    }
                )
    finally:
        server.terminate()
        server.wait()

    medians = {
        name: {key: round(statistics.median(run[key] for run in results), 2) for key in results[0]}
        for name, results in runs.items()
    }
    baseline = medians["trivial (/healthz)"]
    for figures in medians.values():
        figures["p95_ratio_to_trivial"] = round(figures["p95_ms"] / baseline["p95_ms"], 2)
        figures["rps_ratio_to_trivial"] = round(figures["rps"] / baseline["rps"], 2)
    print(
        json.dumps(
            {
                "server": f"gunicorn -w 4, PostgreSQL, DEBUG off, demo data, {args.directory} organisations",
                "threads": args.threads,
                "requests_per_page_per_repeat": args.requests,
                "repeats": args.repeats,
                "statistic": "median over repeats",
                "target": "p95 under 50 ms for cached public pages, under 200 ms for uncached directory searches",
                "paths": {name: getattr(path, "__name__", path) for name, path in PAGES.items()},
                "pages": medians,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
