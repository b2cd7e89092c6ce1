"""Measuring beside the bare tool: `belenios-tool` run on its own on a copy of an archive, CPU read
from /proc and rusage, and the medians the verifiable benchmarks report. Used by `belenios_bench.py`."""

import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def server_cpu(servers):
    """(CPU seconds of the servers' workers themselves, of the tool processes they ran), from /proc."""
    own = tools = 0
    for server in servers:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        for pid in children:
            fields = [int(f) for f in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:15]]
            own += fields[0] + fields[1]  # utime, stime: Django, the database driver, starting the tool
            tools += fields[2] + fields[3]  # cutime, cstime: the tool processes the worker waited for
    return own / os.sysconf("SC_CLK_TCK"), tools / os.sysconf("SC_CLK_TCK")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare(archive, uuid, *command, parallel=1, runs=1, secrets=None):
    """The bare tool on a copy of `archive`, `runs` times, `parallel` at once: (wall s, CPU s) per run."""
    from governance.elections.belenios import engine

    with tempfile.TemporaryDirectory(prefix="bare-") as scratch:
        (Path(scratch) / f"{uuid}.bel").write_bytes(archive)
        if secrets:
            for name, text in secrets.items():
                (Path(scratch) / name).write_text(text)
        cpu, started = children_cpu(), time.perf_counter()
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            list(pool.map(lambda _: engine.run(*command, f"--dir={scratch}", cwd=scratch), range(runs)))
        return (time.perf_counter() - started) / runs, (children_cpu() - cpu) / runs


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


def independent_verify(archive, uuid):
    """`belenios-tool election verify` run on its own, not through the app: (passed, seconds)."""
    with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
        (Path(scratch) / f"{uuid}.bel").write_bytes(archive)
        started = time.perf_counter()
        done = subprocess.run(["belenios-tool", "election", "verify", f"--dir={scratch}"], capture_output=True)
        return done.returncode == 0, round(time.perf_counter() - started, 1)


def machine():
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
