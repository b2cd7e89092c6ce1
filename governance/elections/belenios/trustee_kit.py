#!/usr/bin/env python3
"""Commonweal trustee kit: your part of a verifiable election, run on your own computer.

You hold a share of the key that opens the election's ballots. Your private key is made here, stays
in your keys folder, and never goes to the election's website: you upload only what this kit
writes for you to upload (certificates, polynomials, verifications, shuffles and partial
decryptions, all of them public). Needs Python 3.9 or later and `belenios-tool` 2.0
(Debian and Ubuntu: `sudo apt-get install belenios-tool`). Keep one keys folder per election, on a
computer you trust, and a copy of it on a USB stick in a safe place: without it you cannot help
decrypt.

Setting up the election key, three rounds (the trustee page says when each round is open):

    python3 trustee_kit.py certificate --keys KEYS
        makes your private key in KEYS and writes certificate.json: upload it (round 1).
    python3 trustee_kit.py polynomial --keys KEYS --certificates certificates.jsons --threshold K
        writes polynomial.json from everyone's certificates: upload it (round 2).
    python3 trustee_kit.py verification --keys KEYS --certificates certificates.jsons --input verification-input.json
        checks what the others sent you and writes verification.json: upload it (round 3).

After the poll closes, with the election's archive (ELECTION.bel) from the trustee page. The
trustees shuffle in the order of their numbers (N is yours, on the trustee page):

    python3 trustee_kit.py shuffle --keys KEYS --archive ELECTION.bel --trustee-id N
        verifies the archive, re-encrypts and mixes every ballot, writes shuffle.json: upload it.
        It notes the shuffle's fingerprint in KEYS (shuffles.sha256) so that `decrypt` can find it.
    python3 trustee_kit.py decrypt --keys KEYS --archive ELECTION.bel --trustee-id N \
            --decryption-key decryption-key.json
        verifies the archive and refuses unless it holds one shuffle for every trustee named in
        the election, trustees 1 to n in order, yours among them; writes partial-decryption.json:
        upload it. Only k trustees need to decrypt.

Every command verifies what it is given and stops, saying why, if something is wrong: it checks
that the encrypted tally is made of exactly the ballots in the box, then verifies the archive
while it shuffles or decrypts (two processes at once), and writes nothing unless the archive
verified. The website is not trusted to have shuffled: a server that skipped or replaced a
shuffle could link each decrypted paper to its voter, so the kit counts the shuffles itself and
looks for yours.
"""

import argparse
import concurrent.futures
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

GROUP = "RFC-3526-2048"
VERSION = "2.0"
OWN_SHUFFLES = "shuffles.sha256"


class KitError(Exception):
    """Something is wrong; the message says what and what to do."""


def tool_path():
    """belenios-tool's path, its version checked once per run of the kit."""
    path = os.environ.get("BELENIOS_TOOL") or shutil.which("belenios-tool")
    if not path:
        raise KitError("belenios-tool is not installed. Install it: sudo apt-get install belenios-tool")
    version = tool_version(path)
    if not version.startswith(VERSION):
        raise KitError(f"This kit needs belenios-tool {VERSION}; you have {version or 'an unknown version'}.")
    return path


@functools.cache
def tool_version(path):
    """What `path --version` prints, asked once per run of the kit."""
    return subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout.strip()


def tool(*args, cwd=None, stdin=None):
    path = tool_path()
    done = subprocess.run(
        [path, *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "BELENIOS_USE_URANDOM": "1"},
        check=False,
    )
    if done.returncode:
        reason = [line for line in done.stderr.splitlines() if line.startswith("belenios-tool:")]
        raise KitError(f"belenios-tool refused: {reason[-1] if reason else done.stderr.strip()}")
    return done.stdout


def private_key(keys):
    found = sorted(Path(keys).glob("*.key"))
    if len(found) != 1:
        raise KitError(f"{keys} should hold exactly one private key (*.key); it holds {len(found)}.")
    return found[0]


def threshold_step(keys, step, *args, stdin=None):
    return tool(
        "setup", "generate-trustee-key-threshold", f"--group={GROUP}", f"--step={step}", *args, cwd=keys, stdin=stdin
    )


def certificate(options):
    keys = Path(options.keys)
    keys.mkdir(parents=True, exist_ok=True)
    if list(keys.glob("*.key")):
        raise KitError(f"{keys} already holds a private key. Use a new, empty folder for each election.")
    threshold_step(keys, 1)
    cert = next(keys.glob("*.cert"))
    write(options.out, cert.read_text())


def polynomial(options):
    key = private_key(options.keys)
    certs = Path(options.certificates).resolve()
    threshold_step(options.keys, 2, f"--certs={certs}")  # every certificate is checked first
    write(
        options.out,
        threshold_step(options.keys, 3, f"--certs={certs}", f"--key={key}", f"--threshold={options.threshold}"),
    )


def verification(options):
    key = private_key(options.keys)
    certs = Path(options.certificates).resolve()
    stdin = Path(options.input).read_text()
    write(options.out, threshold_step(options.keys, 5, f"--certs={certs}", f"--key={key}", stdin=stdin))


class Archive:
    """An election archive read once: its events in order, each with its payload, and its setup."""

    def __init__(self, path=None, *, content=None):
        with tarfile.open(path, fileobj=None if content is None else io.BytesIO(content)) as tar:
            files = [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]
        self.data = data = {n.removesuffix(".data.json"): c for n, c in files if n.endswith(".data.json")}
        events = [json.loads(content) for name, content in files if name.endswith(".event.json")]
        self.chain = [(event, data.get(event.get("payload"))) for event in events]
        setup = json.loads(next(payload for event, payload in self.chain if event["type"] == "Setup"))
        self.uuid = json.loads(data[setup["election"]])["uuid"]
        trustees = json.loads(data[setup["trustees"]])
        self.trustees_named = sum(len(value["certs"]) if kind == "Pedersen" else 1 for kind, value in trustees)
        self.kinds = [event["type"] for event, _ in self.chain]


def read(path, scratch):
    """The archive, read and copied into `scratch` for the tool, after the kit's own checks: its
    encrypted tally is made of exactly the box's ballots. Nothing of the tool's has run yet."""
    try:
        archive = Archive(path)
    except (OSError, tarfile.TarError, ValueError, KeyError, TypeError, StopIteration):
        raise KitError(f"{path} is not an election archive: download it again from the trustee page.") from None
    shutil.copyfile(path, Path(scratch) / f"{archive.uuid}.bel")
    problem = tally_problem(archive)
    if problem:
        raise KitError(f"Do not shuffle or decrypt: {problem}. Tell the returning officer and the scrutineers.")
    return archive


def while_verifying(scratch, archive, doing, step):
    """What `step()` returns, once `belenios-tool election verify` has passed on the archive in
    `scratch`. The two run at once (the verify in a second process), so the step takes about as
    long as the longer of them rather than both; if the verify fails, what the step made is
    thrown away unread and nothing is written. Prints how far it is, for a step of minutes."""
    ballots = archive.kinds.count("Ballot")
    counted = f"{ballots:,} ballot{'' if ballots == 1 else 's'}"
    print(f"Verifying the archive ({counted}) and {doing} at once: this can take some minutes.", flush=True)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        verifying = pool.submit(lambda: (tool("election", "verify", f"--dir={scratch}"), time.monotonic())[1])
        try:
            made = step()
        except KitError:
            verifying.result()  # a failed verify says more than the step's refusal of the same archive
            raise
        print(f"  {doing.capitalize()}: done after {time.monotonic() - started:.0f} s.", flush=True)
        verified_at = verifying.result()
    print(f"  The archive verified: done after {verified_at - started:.0f} s.", flush=True)
    return made


def tally_problem(archive):
    """Why the encrypted tally is not made of exactly the box's ballots (None if it is, or if
    there is no tally yet). `election verify` does not compare them: a tally made from one ballot
    of three passes it. Each ranked ballot is one ciphertext per question, and the tally lists
    them all, in an order of its own, so the two lists must hold the same ciphertexts."""
    found = [payload for event, payload in archive.chain if event["type"] == "EncryptedTally"]
    if not found:
        return None
    summary = json.loads(found[0])
    ballots = [json.loads(payload) for event, payload in archive.chain if event["type"] == "Ballot"]
    if summary.get("num_tallied") != len(ballots):
        return f"the encrypted tally counts {summary.get('num_tallied')} ballots where the box holds {len(ballots)}"
    tally = json.loads(archive.data.get(summary.get("encrypted_tally"), b"null"))
    for position, column in enumerate(tally or [None]):
        cast = sorted(json.dumps(b["answers"][position]["choices"], sort_keys=True) for b in ballots)
        if column is None or sorted(json.dumps(c, sort_keys=True) for c in column) != cast:
            return "the encrypted tally is not made of the ballots in the box: some were left out, added or changed"
    return None


def shuffles(archive):
    """[(owner, fingerprint of the shuffle)] in the archive's order."""
    found = []
    for event, payload in archive.chain:
        if event["type"] == "Shuffle":
            label = json.loads(payload)
            found.append((label["owner"], label["payload"]))
    return found


def missing_shuffle(owners, named):
    """What is wrong with the shuffles' owners (they must be 1..named in order), or None."""
    for position, number in enumerate(range(1, named + 1)):
        if position >= len(owners):
            return f"trustee {number}'s shuffle is missing: {len(owners)} of the {named} trustees' shuffles are in"
        if owners[position] != number:
            return f"shuffle {position + 1} is under trustee {owners[position]}'s number, where trustee {number}'s goes"
    if len(owners) > named:
        return f"there are {len(owners)} shuffles for {named} trustees"
    return None


def shuffle(options):
    keys = Path(options.keys)
    private_key(keys)
    number = int(options.trustee_id)
    with tempfile.TemporaryDirectory() as scratch:
        archive = read(options.archive, scratch)
        if "EncryptedTally" not in archive.kinds or "EndShuffles" in archive.kinds:
            raise KitError("This archive is not waiting for shuffles: download it again after the close.")
        owners = [owner for owner, _ in shuffles(archive)]
        if owners != list(range(1, number)):
            raise KitError(
                f"You are trustee {number}, so the archive should hold the shuffles of trustees 1 to {number - 1} "
                f"in order; it holds {owners or 'none'}. Download it again when it is your turn."
            )
        made = while_verifying(
            scratch,
            archive,
            "shuffling its ballots",
            lambda: tool("election", "shuffle", f"--dir={scratch}", f"--trustee-id={number}"),
        )
    fingerprint = hashlib.sha256(made.splitlines()[0].strip().encode()).hexdigest()
    with (keys / OWN_SHUFFLES).open("a") as own:
        own.write(fingerprint + "\n")
    write(options.out, made)


def check_shuffles(archive, keys, number):
    """Refuse unless every named trustee's shuffle is in, in order, and ours is the one we made."""
    found = shuffles(archive)
    problem = missing_shuffle([owner for owner, _ in found], archive.trustees_named)
    if problem is None and "EndShuffles" not in archive.kinds:
        problem = "the shuffles are not marked finished"
    if problem:
        raise KitError(f"Decrypting now could link each paper to its voter: {problem}. Tell the returning officer.")
    ours = keys / OWN_SHUFFLES
    made = set(ours.read_text().split()) if ours.exists() else set()
    if dict(found).get(number) not in made:
        raise KitError(
            f"The shuffle under your number (trustee {number}) is not one this keys folder made"
            f"{'' if made else ' (it has no record of any shuffle)'}: the archive may have been altered. "
            "Do not decrypt; tell the returning officer and the scrutineers."
        )


def decrypt(options):
    keys = Path(options.keys)
    key = private_key(keys).resolve()
    decryption_key = Path(options.decryption_key).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        archive = read(options.archive, scratch)
        check_shuffles(archive, keys, int(options.trustee_id))
        made = while_verifying(
            scratch,
            archive,
            "decrypting your share",
            lambda: tool(
                "election",
                "decrypt-threshold",
                f"--dir={scratch}",
                f"--key={key}",
                f"--decryption-key={decryption_key}",
                f"--trustee-id={options.trustee_id}",
            ),
        )
    write(options.out, made)


def write(path, text):
    Path(path).write_text(text if text.endswith("\n") else text + "\n")
    print(f"Wrote {path}: upload it on the election's trustee page.")


def parser():
    main = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="See the top of this file for the steps."
    )
    commands = main.add_subparsers(dest="command", required=True)

    def command(name, function, out, *arguments):
        sub = commands.add_parser(name)
        for argument in arguments:
            sub.add_argument(f"--{argument}", required=True)
        sub.add_argument("--out", default=out, help=f"where to write the file to upload (default {out})")
        sub.set_defaults(run=function)

    command("certificate", certificate, "certificate.json", "keys")
    command("polynomial", polynomial, "polynomial.json", "keys", "certificates", "threshold")
    command("verification", verification, "verification.json", "keys", "certificates", "input")
    command("shuffle", shuffle, "shuffle.json", "keys", "archive", "trustee-id")
    command("decrypt", decrypt, "partial-decryption.json", "keys", "archive", "decryption-key", "trustee-id")
    return main


def main(argv=None):
    options = parser().parse_args(argv)
    try:
        options.run(options)
    except KitError as error:
        print(f"Stopped: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
