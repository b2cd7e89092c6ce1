"""What trustees upload after the close, checked before it enters the archive. No Django here.

A trustee's `shuffle.json` or `partial-decryption.json`, as `belenios-tool` 2.0 writes it, is two
lines: the payload, then `{"owner":N,"payload":<sha256 of the first line>}`. The owner is only a
label (Belenios 2.0 signs neither), so the platform writes it from the uploader's own number.

What the tool checks, found with 2.0 and relied on here:
- `election verify` passes with no Shuffle at all, with owners [2, 2, 3] and with an EndShuffles
  after none: counting the shuffles and their owners is ours (`shuffle_problem`);
- `election verify` checks each shuffle's proof, so a shuffle is checked by one verify of the
  archive it extends (`verify-diff` costs the same: it re-verifies the whole new archive);
- `election verify` does NOT check a PartialDecryption event while there is no Result ("no
  result to check"): a bad one passes it, and `verify-diff` too;
- `election compute-result` checks every partial decryption in the archive against its owner's
  verification key before it counts them: a bad one fails with "invalid partial decryption",
  fewer than k good ones with "not enough partial decryptions". So one partial decryption is
  checked alone by computing the result from the archive plus it, at a fraction of a verify, and
  the k-th one's check computes the result itself.
- neither `election verify` nor `verify-diff` compares the EncryptedTally with the ballots (a tally
  of one ballot in three passes both): the kit and the count do (`trustee_kit.tally_problem`).
"""

import json
import tempfile

from governance.elections.belenios import engine

NOT_ENOUGH = "not enough partial decryptions"


def owned(upload, what):
    """(payload line, owner it claims) of an upload the kit wrote; BeleniosError if it is not one."""
    lines = [line for line in upload.strip().splitlines() if line.strip()]
    try:
        claim = json.loads(lines[1])
        payload, owner = lines[0].strip(), int(claim["owner"])
        json.loads(payload)
    except (IndexError, ValueError, KeyError, TypeError):
        raise engine.BeleniosError(f"This is not the {what} file the trustee kit wrote (two lines of JSON).") from None
    if len(lines) != 2 or claim.get("payload") != engine.sha256_hex(payload):
        raise engine.BeleniosError(f"This {what} file has been changed since the trustee kit wrote it.")
    return payload, owner


def as_owner(payload, owner):
    """The two lines the tool appends for `payload` under `owner`."""
    label = json.dumps({"owner": owner, "payload": engine.sha256_hex(payload)}, separators=(",", ":"))
    return f"{payload}\n{label}\n"


def trustees_named(archive):
    """How many trustees the archive's setup names (a threshold set counts each of its members)."""
    _, trustees_json, _ = engine.setup_files(archive)
    return sum(len(value["certs"]) if kind == "Pedersen" else 1 for kind, value in json.loads(trustees_json))


def shuffles(archive):
    """[(owner, sha256 of the shuffle)] of the archive's Shuffle events, in order."""
    found = []
    for event, payload in engine.events(archive):
        if event["type"] == "Shuffle":
            label = json.loads(payload)
            found.append((label["owner"], label["payload"]))
    return found


def shuffle_problem(owners, named):
    """None when `owners` (of the Shuffle events, in order) are 1..`named`, each once, in order;
    else what is wrong, naming the trustee whose shuffle is missing."""
    expected = list(range(1, named + 1))
    if owners == expected:
        return None
    for position, number in enumerate(expected):
        if position >= len(owners):
            return f"trustee {number}'s shuffle is missing ({len(owners)} of {named} shuffles are in)"
        if owners[position] != number:
            return (
                f"the shuffle in place {position + 1} is under trustee {owners[position]}'s number where trustee "
                f"{number}'s should be (owners {owners}, expected {expected})"
            )
    return f"there are {len(owners)} shuffles for {named} trustees (owners {owners})"


def append_then_verify(archive, uuid, kind, payload=""):
    """The records one event adds, after one `election verify` of the extended archive passed."""
    added = append_unchecked(archive, uuid, kind, payload)
    engine.verify(archive + added, uuid)
    return added


def append_unchecked(archive, uuid, kind, payload=""):
    """The records one event adds, unchecked: for an event with nothing in it to check, or one
    the caller checks with the archive it ends up in."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        return engine.Folder.write(scratch, uuid, archive).add_event(kind, payload)


def partial_decryption_checked(archive, uuid, kind, payload):
    """(the records a partial decryption adds, the result): checked by `compute-result` on the
    archive plus it alone, which either finds "not enough partial decryptions" (the result is
    then None) or computes the result from it and those before it, which is the count's result:
    the server keeps it rather than computing it again. BeleniosError if the decryption is bad.
    Those already in the archive were checked the same way when they came, so none hides its fault
    (the tool stops at the first bad one)."""
    added = append_unchecked(archive, uuid, kind, payload)
    try:
        return added, engine.compute_result(archive + added, uuid)
    except engine.BeleniosError as error:
        if NOT_ENOUGH not in str(error):
            raise
    return added, None
