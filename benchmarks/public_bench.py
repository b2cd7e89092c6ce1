"""Public pages under concurrent load: gunicorn (4 workers) on PostgreSQL with the demo data.

    .venv/bin/python benchmarks/public_bench.py [--requests 400] [--threads 8] [--repeats 3]

Creates (or reuses) the PostgreSQL database `cw_site_bench`, migrates it and runs `seed_demo`,
starts gunicorn with DEBUG off, then drives each page from Python threads over keep-alive
HTTP/1.1 connections on loopback. Prints JSON: for each page the median over repeats of
requests/s and p50/p95/p99 latency (ms), and each figure's ratio to a trivial page (`/healthz`)
measured in the same run. Anonymous public pages are served from the page cache after the
first request (warm-up requests are not counted).
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cw_site_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
PORT = 8765
PAGES = {
    "trivial (/healthz)": "/healthz",
    "home": "/",
    "directory search": "/partners/?interest=dementia&locality=eastbrook",
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


def prepare_database():
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
    subprocess.run([*manage, "seed_demo"], env=environment(), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    meeting = subprocess.run(
        [*manage, "shell", "-c", FIRST_PUBLIC_MEETING],
        env=environment(),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
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
    """Send `requests` GETs of `path` from `threads` keep-alive connections; return (rps, latencies)."""
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
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
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
    args = parser.parse_args()

    prepare_database()
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
                "server": "gunicorn -w 4, PostgreSQL, DEBUG off, demo data",
                "threads": args.threads,
                "requests_per_page_per_repeat": args.requests,
                "repeats": args.repeats,
                "statistic": "median over repeats",
                "target": "p95 under 50 ms for cached public pages",
                "paths": PAGES,
                "pages": medians,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
