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

After the poll closes, with the election's archive (ELECTION.bel) from the trustee page:

    python3 trustee_kit.py shuffle --archive ELECTION.bel --trustee-id N
        verifies the archive, re-encrypts and mixes every ballot, writes shuffle.json: upload it.
    python3 trustee_kit.py decrypt --keys KEYS --archive ELECTION.bel --trustee-id N \
            --decryption-key decryption-key.json
        verifies the archive, refuses unless every trustee has shuffled, writes
        partial-decryption.json: upload it. Only k trustees need to decrypt.

Every command verifies what it is given first and stops, saying why, if something is wrong.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

GROUP = "RFC-3526-2048"
VERSION = "2.0"


class KitError(Exception):
    """Something is wrong; the message says what and what to do."""


def tool(*args, cwd=None, stdin=None):
    path = os.environ.get("BELENIOS_TOOL") or shutil.which("belenios-tool")
    if not path:
        raise KitError("belenios-tool is not installed. Install it: sudo apt-get install belenios-tool")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    if not version.startswith(VERSION):
        raise KitError(f"This kit needs belenios-tool {VERSION}; you have {version.strip() or 'an unknown version'}.")
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


def election_folder(archive, scratch):
    """A folder holding the archive as the tool wants it, `<uuid>.bel`; checked with `election verify`."""
    with tarfile.open(archive) as tar:
        names = [member.name for member in tar.getmembers()]
        contents = [tar.extractfile(name).read() for name in names if name.endswith(".data.json")]
    uuid = next(json.loads(c)["uuid"] for c in contents if b'"uuid"' in c and b'"questions"' in c)
    shutil.copyfile(archive, Path(scratch) / f"{uuid}.bel")
    tool("election", "verify", f"--dir={scratch}")
    return events(Path(scratch) / f"{uuid}.bel")


def events(archive):
    with tarfile.open(archive) as tar:
        return [json.loads(tar.extractfile(m).read()) for m in tar.getmembers() if m.name.endswith(".event.json")]


def shuffle(options):
    with tempfile.TemporaryDirectory() as scratch:
        kinds = [event["type"] for event in election_folder(options.archive, scratch)]
        if "EncryptedTally" not in kinds:
            raise KitError("The poll has not been closed in this archive yet: download it again after the close.")
        write(options.out, tool("election", "shuffle", f"--dir={scratch}", f"--trustee-id={options.trustee_id}"))


def decrypt(options):
    key = private_key(options.keys).resolve()
    decryption_key = Path(options.decryption_key).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        kinds = [event["type"] for event in election_folder(options.archive, scratch)]
        if "EndShuffles" not in kinds:
            shuffles = kinds.count("Shuffle")
            raise KitError(
                f"Not every trustee has shuffled the ballots yet ({shuffles} shuffle(s) so far): "
                "download the archive again once the trustee page says the shuffles are done."
            )
        write(
            options.out,
            tool(
                "election",
                "decrypt-threshold",
                f"--dir={scratch}",
                f"--key={key}",
                f"--decryption-key={decryption_key}",
                f"--trustee-id={options.trustee_id}",
            ),
        )


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
    command("shuffle", shuffle, "shuffle.json", "archive", "trustee-id")
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
