"""The server's side of a Belenios election, driving `belenios-tool` 2.0. No Django here.

An election's *archive* (`<uuid>.bel`) is a tar file of JSON records that only ever grows: the
setup (election parameters, trustees, public credentials), then one event per ballot, the end of
the poll, the encrypted tally, each trustee's shuffle, the partial decryptions and the result.
Each event names its parent's hash, so the archive is a hash chain. `belenios-tool` writes its
own plain (pre-POSIX) tar records with no end-of-archive blocks, so an archive is exactly the
concatenation of its records: `records()` splits one, and joining their bytes gives it back.

Checked with 2.0, and relied on here:
- ranked ballots need the `RFC-3526-2048` group (`BELENIOS-2048` fails on them);
- `archive add-event` checks nothing, while `election verify-diff` between the archive before
  and after an event checks the new event (and, at its own cost, re-verifies everything else);
- the tool accepts a second ballot under one credential: one ballot per credential is for the
  caller to enforce (the platform does it with a unique constraint);
- `election verify` passes with no shuffle at all: counting the Shuffle events is for the caller.
"""

import base64
import dataclasses
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from governance.elections.belenios import pipes

TOOL = "belenios-tool"
TOOL_VERSION = "2.0"
GROUP = "RFC-3526-2048"
BLOCK = 512


class BeleniosError(Exception):
    """The tool refused something; the message says what and, where it can, why."""


class ToolMissing(BeleniosError):
    """`belenios-tool` 2.0 is not installed here."""


def tool_path():
    """The tool's path, its version checked to be 2.0 once per process and path (ToolMissing says
    how to install it): a cast runs the tool twice, and a `--version` before each would be a
    third process."""
    path = os.environ.get("BELENIOS_TOOL") or shutil.which(TOOL)
    if not path:
        raise ToolMissing(
            "belenios-tool is not installed. On Debian or Ubuntu run `sudo apt-get install belenios-tool` "
            "(`bash dev run` and `bash dev test` do this for you)."
        )
    version = tool_version(path)
    if not version.startswith(TOOL_VERSION):
        raise ToolMissing(f"belenios-tool {TOOL_VERSION} is needed; {path} is version {version or 'unknown'}.")
    return path


@functools.cache
def tool_version(path):
    """What `path --version` prints, asked once per process and path."""
    return subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout.strip()


def available():
    try:
        tool_path()
    except ToolMissing:
        return False
    return True


def run(*args, cwd=None, stdin=None, secrets=(), binary=False):
    """Run `belenios-tool args…` and return its standard output as text (bytes if `binary`).
    `secrets` reach the tool through pipes (`pipes.placeholder(i)` in an argument names the ith),
    never a file or argv."""
    environment = {**os.environ, "BELENIOS_USE_URANDOM": "1"}
    command = [tool_path(), *map(str, args)]
    if secrets:
        completed = pipes.run(command, secrets, cwd=cwd, env=environment)
    else:
        completed = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, text=not binary, env=environment, check=False
        )
    if completed.returncode != 0:
        stderr = completed.stderr.decode(errors="replace") if binary else completed.stderr
        lines = [line for line in stderr.splitlines() if line.startswith("belenios-tool:")]
        reason = (lines[-1].removeprefix("belenios-tool:").strip() if lines else stderr.strip()) or "failed"
        raise BeleniosError(f"belenios-tool {' '.join(map(str, args[:2]))}: {reason}")
    return completed.stdout


def sha256_hex(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()


def sha256_b64(data):
    """Belenios' short hash (base64 without padding), as `belenios-tool sha256-b64` prints it."""
    digest = hashlib.sha256(data if isinstance(data, bytes) else data.encode()).digest()
    return base64.b64encode(digest).decode().rstrip("=")


# Archives -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Record:
    """One tar record of an archive: its file name, its content and its raw bytes."""

    name: str
    content: bytes
    raw: bytes

    @property
    def is_event(self):
        return self.name.endswith(".event.json")

    def json(self):
        return json.loads(self.content)


def records(archive):
    """The records of an archive, in order."""
    found, offset = [], 0
    while offset + BLOCK <= len(archive):
        header = archive[offset : offset + BLOCK]
        if not header.strip(b"\0"):
            break
        name = header[:100].split(b"\0", 1)[0].decode()
        size = int(header[124:136].strip(b"\0 ") or b"0", 8)
        end = offset + BLOCK + -(-size // BLOCK) * BLOCK
        found.append(Record(name, archive[offset + BLOCK : offset + BLOCK + size], archive[offset:end]))
        offset = end
    return found


def events(archive):
    """[(event, payload record content or None)] in order: the archive's hash chain."""
    data = {r.name.removesuffix(".data.json"): r.content for r in records(archive) if not r.is_event}
    chain = []
    for record in records(archive):
        if record.is_event:
            event = record.json()
            chain.append((event, data.get(event.get("payload"))))
    return chain


def event_types(archive):
    return [event["type"] for event, _ in events(archive)]


def setup_files(archive):
    """(election.json, trustees.json, public credentials) from an archive's Setup event."""
    for event, payload in events(archive):
        if event["type"] == "Setup":
            setup = json.loads(payload)
            by_hash = {r.name.removesuffix(".data.json"): r.content for r in records(archive)}
            return by_hash[setup["election"]], by_hash[setup["trustees"]], json.loads(by_hash[setup["credentials"]])
    raise BeleniosError("This archive has no Setup event.")


class Folder:
    """A scratch directory holding one archive, `<uuid>.bel`, as the tool expects."""

    def __init__(self, directory, uuid):
        self.directory, self.uuid = Path(directory), uuid
        self.path = self.directory / f"{uuid}.bel"

    @classmethod
    def write(cls, directory, uuid, archive):
        folder = cls(directory, uuid)
        folder.directory.mkdir(parents=True, exist_ok=True)
        folder.path.write_bytes(archive)
        return folder

    def read(self):
        return self.path.read_bytes()

    def add_event(self, kind, payload=""):
        """Append one event with `archive add-event` and return the records it added (raw bytes)."""
        before = self.path.stat().st_size
        run("archive", "add-event", f"--dir={self.directory}", f"--type={kind}", stdin=payload)
        with self.path.open("rb") as archive:
            archive.seek(before)
            return archive.read()


def verify_diff(old_archive, new_archive, uuid):
    """Check with `election verify-diff` that `new_archive` validly extends `old_archive`."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        old = Folder.write(Path(scratch) / "old", uuid, old_archive)
        new = Folder.write(Path(scratch) / "new", uuid, new_archive)
        run("election", "verify-diff", f"--dir1={old.directory}", f"--dir2={new.directory}")


def append_checked(archive, uuid, kind, payload=""):
    """The records one event adds to `archive`, after `verify-diff` has passed on the result;
    BeleniosError (nothing appended) if it does not."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        added = Folder.write(scratch, uuid, archive).add_event(kind, payload)
    verify_diff(archive, archive + added, uuid)
    return added


def verify(archive, uuid):
    """`election verify` on the whole archive; BeleniosError names the first failure."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        Folder.write(scratch, uuid, archive)
        return run("election", "verify", f"--dir={scratch}")


def tool_output(archive, uuid, *args):
    """Run an `election …` command on a copy of the archive and return what it prints."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        Folder.write(scratch, uuid, archive)
        return run("election", *args, f"--dir={scratch}")


# Setting up -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Credential:
    private: str
    public: str


def new_uuid():
    return run("setup", "generate-token").strip()


MEMORY_FILESYSTEMS = ("tmpfs", "ramfs")


def memory_backed(path):
    """Whether `path` lies on a filesystem kept in memory (tmpfs, ramfs), by the mount table: the
    mount whose point is the longest prefix of the path's real location decides."""
    where, best, fstype = os.path.realpath(path), "", None
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return False
    for line in mounts:
        _device, point, kind, *_ = line.split()
        point = point.replace("\\040", " ")
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, fstype = point, kind
    return fstype in MEMORY_FILESYSTEMS


def generate_credentials(uuid, count, *, secrets_dir=None):
    """`count` fresh credentials: the private part is the voter's code, the public part is
    published in the archive.

    The tool can only write the batch's private codes to files, so it writes them in a folder
    made for this call, readable by this user only (0700), in `secrets_dir` (by default
    $BELENIOS_SECRETS_DIR, else /dev/shm), which must be memory-backed (tmpfs): the codes never
    reach a disk. The folder is removed as soon as the files are read, before they are parsed."""
    if count < 1:
        return []
    secrets_dir = secrets_dir or os.environ.get("BELENIOS_SECRETS_DIR") or "/dev/shm"
    if not memory_backed(secrets_dir):
        raise BeleniosError(
            f"{secrets_dir} is not a memory-backed filesystem, so voting codes are not made there: set "
            "BELENIOS_SECRETS_DIR to a tmpfs folder such as /dev/shm (see docs/admin.md)."
        )
    scratch = Path(tempfile.mkdtemp(prefix="belenios-credentials-", dir=secrets_dir))  # mode 0700
    try:
        run("setup", "generate-credentials", f"--uuid={uuid}", f"--group={GROUP}", f"--count={count}", cwd=scratch)
        private_text = next(scratch.glob("*.privcreds")).read_text()
        public_text = next(scratch.glob("*.pubcreds")).read_text()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    private = dict(line.split() for line in private_text.splitlines())
    public = {}
    for entry in json.loads(public_text):
        key, _weight, identity = entry.split(",")
        public[identity] = key
    return [Credential(private[identity], public[identity]) for identity in sorted(private, key=int)]


def public_credential(uuid, private):
    """The public credential of a private one; BeleniosError if it is not a valid credential.
    Credentials are case-sensitive base58 with a checksum."""
    return run("setup", "generate-credentials", f"--uuid={uuid}", f"--group={GROUP}", f"--derive={private}").strip()


def certificate_id(certificate):
    """The id Belenios gives a trustee's certificate (the name of their key and input files)."""
    return sha256_hex(json.loads(certificate)["message"])


def _threshold(scratch, *args, stdin=None):
    return run("setup", "generate-trustee-key-threshold", f"--group={GROUP}", *args, cwd=scratch, stdin=stdin)


def _write_lines(path, lines):
    path.write_text("".join(line.strip() + "\n" for line in lines))
    return path


def check_certificates(certificates):
    """Round 1 checked (step 2): every trustee's certificate is valid."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        certs = _write_lines(Path(scratch) / "certs.jsons", certificates)
        _threshold(scratch, f"--certs={certs}", "--step=2")


def verification_inputs(certificates, polynomials):
    """Round 2 combined (step 4): {certificate id: the input each trustee checks in round 3}."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        certs = _write_lines(Path(scratch) / "certs.jsons", certificates)
        polys = _write_lines(Path(scratch) / "polynomials.jsons", polynomials)
        _threshold(scratch, f"--certs={certs}", f"--polynomials={polys}", "--step=4")
        return {path.stem: path.read_text() for path in Path(scratch).glob("*.vinput")}


def threshold_parameters(certificates, polynomials, verifications):
    """Round 3 combined (step 6): (the threshold parameters for `trustees.json`, {certificate id:
    that trustee's decryption key, encrypted to them})."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        certs = _write_lines(Path(scratch) / "certs.jsons", certificates)
        polys = _write_lines(Path(scratch) / "polynomials.jsons", polynomials)
        stdin = "".join(v.strip() + "\n" for v in verifications)
        parameters = _threshold(scratch, f"--certs={certs}", f"--polynomials={polys}", "--step=6", stdin=stdin)
        return parameters, {path.stem: path.read_text() for path in Path(scratch).glob("*.dkey")}


def question(title, question_text, answers):
    """The election's template: one ranked (non-homomorphic) question, a rank per candidate."""
    return json.dumps(
        {
            "description": title,
            "name": title,
            "questions": [{"type": "NonHomomorphic", "value": {"answers": list(answers), "question": question_text}}],
        }
    )


def set_up(uuid, template, threshold_parameters_json, public_credentials):
    """The archive's first records: the election's public parameters (made with the trustees'
    joint key), the trustees and the public credentials, and the Setup event."""
    with tempfile.TemporaryDirectory(prefix="belenios-") as scratch:
        folder = Path(scratch)
        (folder / "threshold.json").write_text(threshold_parameters_json)
        (folder / "public_keys.jsons").write_text("")
        run("setup", "make-trustees", cwd=folder)
        (folder / "template.json").write_text(template)
        run("setup", "make-election", f"--uuid={uuid}", f"--group={GROUP}", "--template=template.json", cwd=folder)
        (folder / "public_creds.json").write_text(json.dumps(sorted(public_credentials)))
        run("archive", "init", cwd=folder)
        return (folder / f"{uuid}.bel").read_bytes()


# Counting ---------------------------------------------------------------------------------------------


def encrypted_tally(archive, uuid):
    return tool_output(archive, uuid, "compute-encrypted-tally")


def compute_result(archive, uuid):
    return tool_output(archive, uuid, "compute-result")


def ballot_summary(archive, uuid):
    """The hashes of the ballots in the box, as voters' receipts show them."""
    return [entry["hash"] for entry in json.loads(tool_output(archive, uuid, "compute-ballot-summary"))]


def decrypted_ranks(archive):
    """The decrypted papers of the Result event: one list of ranks per paper, in the mixed order."""
    for event, payload in events(archive):
        if event["type"] == "Result":
            return [list(paper) for paper in json.loads(payload)["result"][0]]
    raise BeleniosError("This archive has no result yet.")
