"""How long a batch of new voting codes is visible as a file, and what a keypad guess costs.

    python benchmarks/keypad_bench.py [--sizes 1,100,1000] [--repeats 3] [--guesses 20]

Window: `engine.generate_credentials` runs `belenios-tool setup generate-credentials` in a private
folder on /dev/shm while a thread of this process (the same user, as an attacker on the app
server would be) polls the secrets folder as fast as it can; for each batch size the JSON gives
the median time a `.privcreds` file was seen to exist, the median whole call, and whether the
folder was gone when the call returned. It names the failure on stderr and exits 1 if a batch came
back short, held the same code twice or a code without its public part, or left a folder behind.

Keypad guesses: what one guess at a 16-digit keypad code costs someone with the database and
SECRET_KEY, per core, in Python: the HMAC-SHA256 the lookup hash was before (the baseline, in the
same run), and the Argon2id it is now, at each libsodium cost; with the days to find one of 200
unused codes among 10^16 by brute force on one core. Needs belenios-tool 2.0.
"""

import argparse
import hashlib
import hmac
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nacl.pwhash  # noqa: E402

from governance.elections.belenios import engine  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stored_checks import verdict  # noqa: E402

SECRETS_DIR = "/dev/shm"
UNUSED_CODES, SPACE = 200, 10**16


def watch(stop, seen):
    while not stop.is_set():
        now = time.perf_counter()
        for folder in Path(SECRETS_DIR).glob("belenios-credentials-*"):
            try:
                if any(p.suffix == ".privcreds" for p in folder.iterdir()):
                    seen.setdefault("first", now)
                    seen["last"] = now
            except FileNotFoundError:
                pass


def one_batch(size):
    uuid, stop, seen = engine.new_uuid(), threading.Event(), {}
    watcher = threading.Thread(target=watch, args=(stop, seen))
    watcher.start()
    started = time.perf_counter()
    made = engine.generate_credentials(uuid, size, secrets_dir=SECRETS_DIR)
    took = time.perf_counter() - started
    time.sleep(0.01)
    stop.set()
    watcher.join()
    left = list(Path(SECRETS_DIR).glob("belenios-credentials-*"))
    window = seen["last"] - seen["first"] if seen else 0.0
    distinct = len({c.private for c in made if c.public})  # different codes, each with its public part
    return {"made": len(made), "distinct": distinct, "window_s": window, "call_s": took, "left_behind": len(left)}


def guess_rates(guesses):
    key = os.urandom(32)
    started = time.process_time()
    for n in range(guesses * 10000):
        hmac.new(key, f"{n:016d}".encode(), hashlib.sha256).digest()
    rates = {"hmac_sha256": guesses * 10000 / (time.process_time() - started)}
    kdf, salt = nacl.pwhash.argon2id, os.urandom(16)
    for cost in ("interactive", "moderate"):
        limits = {
            "opslimit": getattr(kdf, f"OPSLIMIT_{cost.upper()}"),
            "memlimit": getattr(kdf, f"MEMLIMIT_{cost.upper()}"),
        }
        count = guesses if cost == "interactive" else max(2, guesses // 5)
        started = time.process_time()
        for n in range(count):
            kdf.kdf(64, f"{n:016d}".encode(), salt, **limits)
        rates[f"argon2id_{cost}"] = count / (time.process_time() - started)
    return {
        name: {"guesses_per_s": round(rate, 1), "days_to_one_of_200": SPACE / UNUSED_CODES / rate / 86400}
        for name, rate in rates.items()
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--guesses", type=int, default=20)
    options = parser.parse_args()
    windows, checks = {}, {}
    for size in map(int, options.sizes.split(",")):
        runs = [one_batch(size) for _ in range(options.repeats)]
        checks[f"batch of {size}: every code made, each different"] = all(
            r["made"] == r["distinct"] == size for r in runs
        )
        checks[f"batch of {size}: no secrets folder left behind"] = not any(r["left_behind"] for r in runs)
        windows[size] = {
            "file_visible_ms_median": round(statistics.median(r["window_s"] for r in runs) * 1000, 2),
            "file_visible_ms_max": round(max(r["window_s"] for r in runs) * 1000, 2),
            "call_ms_median": round(statistics.median(r["call_s"] for r in runs) * 1000, 1),
            "all_made_and_removed": all(r["made"] == size and not r["left_behind"] for r in runs),
        }
    report = {
        "machine": {
            "cores": os.cpu_count(),
            "secrets_dir": SECRETS_DIR,
            "in_memory": engine.memory_backed(SECRETS_DIR),
        },
        "credential_window": windows,
        "keypad_guess": guess_rates(options.guesses),
    }
    print(json.dumps(report, indent=1))
    return verdict(checks, "the codes asked for are not the codes made")


if __name__ == "__main__":
    sys.exit(main())
