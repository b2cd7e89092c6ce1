"""Casting into a Belenios election: making one ballot, checked as it is made, and writing the
ballots' events into the archive at once. No Django here.

A ballot needs only the setup's public files (the election's parameters and the trustees' keys),
never the box, so each is made against a *voter's archive*: the setup with the one public
credential it is cast under, built here in memory as the tool's own tar records. One tool process
per ballot: `generate-ballot` makes it and, before it prints it, checks it with the very function
casting uses on a ballot (`check_ballot`: the election's uuid and fingerprint, the signature under
the credential, every proof), an assertion Debian's build keeps (`assert (E.check_ballot b)` in
belenios 2.0's `src/tool/tool_election.ml`; `test_the_tool_runs_its_assertions` shows the build
runs them). The caller checks what casting adds: that the ballot is signed under the elector's own
public credential (`ballot_credential`). The setup itself is checked by `election verify` once per
process, and every ballot again by `election verify` at the close. Nothing of the box is read, so a
ballot costs the same in an empty box and a full one.

A ballot's receipt is the hash of its text, the name of its data record in the archive; it does
not depend on the chain, so it is known before the ballot's place in the chain is. The ballots'
events are written when the poll closes (or for an auditor who asks), in one pass over the
committed ballots, and `archive make` builds the archive from them once.
"""

import concurrent.futures
import dataclasses
import json
import tempfile
from pathlib import Path

from governance.elections.belenios import pipes
from governance.elections.belenios.engine import (
    BLOCK,
    BeleniosError,
    Folder,
    generate_credentials,
    records,
    run,
    sha256_hex,
)


@dataclasses.dataclass(frozen=True)
class Setup:
    """What a ballot is made and checked against: the election's public files, read once from the
    archive's setup, and the archive's first record (`BELENIOS`, whose time every record bears)."""

    uuid: str
    election: bytes
    trustees: bytes
    head: bytes

    @property
    def header(self):
        return self.head[:BLOCK]

    @classmethod
    def of(cls, uuid, archive):
        found = {r.name: r for r in records(archive)}
        setup = next(r for r in found.values() if r.is_event and r.json()["type"] == "Setup")
        files = json.loads(found[setup.json()["payload"] + ".data.json"].content)
        election, trustees = (found[files[key] + ".data.json"].content for key in ("election", "trustees"))
        return cls(uuid, election, trustees, next(iter(found.values())).raw)


def tar_record(name, content, header):
    """One record as `belenios-tool` writes them (a plain tar header, the content padded to the
    block), its mode, owner and time copied from `header`."""
    block = bytearray(header[:BLOCK])
    block[0:100] = name.encode().ljust(100, b"\0")
    block[124:136] = f"{len(content):011o}\0".encode()
    block[148:156] = b" " * 8
    block[148:156] = f"{sum(block):06o}\0 ".encode()
    return bytes(block) + content + b"\0" * (-len(content) % BLOCK)


def ballot_files(parent, height, ballot):
    """[(name, content)] of a Ballot event after the event `parent` (its hash): the ballot's data
    record, named by the ballot's hash, then the event naming it, named by its own hash."""
    data = ballot.strip().encode()
    event = json.dumps(
        {"parent": parent, "height": height, "type": "Ballot", "payload": sha256_hex(data)}, separators=(",", ":")
    ).encode()
    return [(sha256_hex(data) + ".data.json", data), (sha256_hex(event) + ".event.json", event)]


def voter_archive(setup, *credentials):
    """The setup's records with `credentials` as the only public credentials: the archive a
    ballot is made in, and ballots under those credentials are checked in."""
    listed = json.dumps(list(dict.fromkeys(credentials))).encode()
    files = {"election": setup.election, "trustees": setup.trustees, "credentials": listed}
    names = {key: sha256_hex(content) for key, content in files.items()}
    payload = json.dumps(names, separators=(",", ":")).encode()
    event = json.dumps({"height": 0, "type": "Setup", "payload": sha256_hex(payload)}, separators=(",", ":")).encode()
    parts = [(names[key] + ".data.json", files[key]) for key in files]
    parts += [(sha256_hex(payload) + ".data.json", payload), (sha256_hex(event) + ".event.json", event)]
    return setup.head + b"".join(tar_record(name, content, setup.header) for name, content in parts)


def _write(folder, uuid, archive):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uuid}.bel").write_bytes(archive)


def generate_ballot(setup, private_credential, public_credential, ranks):
    """An encrypted ballot (JSON text) under `private_credential` (whose public part is
    `public_credential`), checked by the tool against the setup before it is printed (see above;
    BeleniosError, with the tool's words, if it fails): `ranks` has one integer per candidate in
    ballot order, 1 for the first preference and 0 for unranked. Nothing here proves the ranks
    make a valid paper: tied ranks and gaps are found at the count. The credential and the ranks
    reach the tool through pipes: neither touches the disk."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        _write(Path(scratch), setup.uuid, voter_archive(setup, public_credential))
        return run(
            "election",
            "generate-ballot",
            f"--dir={scratch}",
            f"--privcred={pipes.placeholder(0)}",
            f"--ballot={pipes.placeholder(1)}",
            cwd=scratch,
            secrets=(private_credential + "\n", json.dumps([list(ranks)])),
        ).strip()


def ballot_credential(ballot):
    """The public credential a ballot is signed under (BeleniosError if it is not a ballot)."""
    try:
        return json.loads(ballot)["credential"]
    except (ValueError, KeyError, TypeError):
        raise BeleniosError("This is not a Belenios ballot.") from None


def ballot_hash(ballot):
    """The ballot's summary hash, as `compute-ballot-summary` lists it: the voter's receipt."""
    return sha256_hex(ballot.strip())


def check_setup(setup):
    """Check the setup on its own with `election verify`: the election's parameters and the
    trustees' keys with their proofs. Once per process and election is enough (`box.ballot_setup`):
    the setup does not change once the poll is open. BeleniosError says why it fails."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        _write(Path(scratch), setup.uuid, voter_archive(setup))
        run("election", "verify", f"--dir={scratch}")


ASSERTIONS_OFF = (
    "This belenios-tool was built without its assertions, so it would not check the ballots it makes: install "
    "Debian's belenios-tool package."
)


def check_the_tool_checks_its_ballots(setup):
    """BeleniosError unless this build of `belenios-tool` runs its assertions, by which its
    `generate-ballot` checks each ballot it makes: a paper with no ranks, under a throwaway
    credential, must be refused by one. Once per process and election, with `check_setup`."""
    credential = generate_credentials(setup.uuid, 1)[0]
    try:
        generate_ballot(setup, credential.private, credential.public, [])
    except BeleniosError as error:
        if "Assertion failed" in str(error):
            return
        raise
    raise BeleniosError(ASSERTIONS_OFF)


def add_ballots(archive, ballots):
    """The records that one Ballot event per ballot adds to `archive`, in order: every record
    written to a folder in one pass, and the archive made from it once by `archive make`.
    BeleniosError if what the tool made does not begin with `archive`."""
    if not ballots:
        return b""
    events = [r for r in records(archive) if r.is_event]
    parent, height = events[-1].name.removesuffix(".event.json"), events[-1].json()["height"]
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        for record in records(archive):
            (Path(scratch) / record.name).write_bytes(record.content)
        for ballot in ballots:
            height += 1
            for name, content in ballot_files(parent, height, ballot):
                (Path(scratch) / name).write_bytes(content)
            parent = name.removesuffix(".event.json")
        made = run("archive", "make", f"--dir={scratch}", binary=True)
    if not made.startswith(archive):
        raise BeleniosError("archive make did not reproduce the archive as it stood before the ballots.")
    return made[len(archive) :]


def close_ballots(archive, uuid, ballots):
    """The records the close adds to `archive`: one Ballot event per ballot, in order (as
    `add_ballots`), the end of the ballots, and the encrypted tally the tool computes from them.
    `election verify` checks the archive up to the end of the ballots while the tally is computed
    from it (two processes at once: the close takes about as long as the longer of the two), and
    the tally is appended only if it verified. BeleniosError if it does not. (The tally's event
    gives `verify` nothing to check: neither it nor `verify-diff` compares the tally with the
    ballots; every trustee's kit and the count do, `tally_problem`.)"""
    added = add_ballots(archive, ballots)
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch, tempfile.TemporaryDirectory() as checked:
        folder = Folder.write(scratch, uuid, archive + added)
        folder.add_event("EndBallots")
        Folder.write(checked, uuid, folder.read())
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            verifying = pool.submit(run, "election", "verify", f"--dir={checked}")
            tally = run("election", "compute-encrypted-tally", f"--dir={scratch}")
            verifying.result()
        folder.add_event("EncryptedTally", tally)
        return folder.read()[len(archive) :]


def by_event(added):
    """[(the event's JSON, its raw records: the payload's data record, if any, then the event)]."""
    grouped, pending = [], b""
    for record in records(added):
        pending += record.raw
        if record.is_event:
            grouped.append((record, pending))
            pending = b""
    return grouped
