"""The trustee kit's shuffle and decryption against the bare `belenios-tool` commands, same archive.

    python benchmarks/trustee_kit_bench.py [--ballots 300] [--repeats 3] [--folder DIR]

Makes a Belenios election with the tool alone (no database): a 2-of-3 key made by the kit, `--ballots`
ballots ranked over five candidates, the close and the encrypted tally. Then, on copies of one archive,
in turn `--repeats` times: the bare `election verify`, the bare `election shuffle` and the kit's
`shuffle` (which verifies once, checks the shuffles' owners and writes its fingerprint), and after
every trustee has shuffled, the bare `election verify`, the bare `decrypt-threshold` and the kit's
`decrypt` (one verify, the shuffle checks). Prints medians of CPU seconds (the tool's processes and
the kit's own Python; CPU rather than wall time, as the machine is shared) and the ratio
kit / (bare verify + bare command): the kit's target is 1.2 or less.

It checks that what it sent is what was counted: the papers decrypted from the kit's shuffles and
partial decryptions are the ranks it cast, one Ballot event per ballot and three shuffles are in the
archive, and the archive verifies; otherwise it names the failure on stderr and exits 1.
"""

import argparse
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from governance.elections.belenios import engine, pipes, trustee_kit, uploads  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stored_checks import verdict  # noqa: E402

CANDIDATES = 5


def kit(*argv):
    with contextlib.redirect_stdout(sys.stderr):
        if trustee_kit.main([str(a) for a in argv]) != 0:
            raise SystemExit(f"the kit stopped on {argv[0]}")


def make_key(root, trustees=3, threshold=2):
    folders = [root / f"trustee-{n}" for n in range(1, trustees + 1)]
    for folder in folders:
        kit("certificate", "--keys", folder, "--out", folder.with_suffix(".cert.json"))
    certificates = [f.with_suffix(".cert.json").read_text().strip() for f in folders]
    (root / "certificates.jsons").write_text("".join(c + "\n" for c in certificates))
    for folder in folders:
        kit("polynomial", "--keys", folder, "--certificates", root / "certificates.jsons",
            "--threshold", threshold, "--out", folder.with_suffix(".poly.json"))  # fmt: skip
    polynomials = [f.with_suffix(".poly.json").read_text().strip() for f in folders]
    inputs = engine.verification_inputs(certificates, polynomials)
    for folder, certificate in zip(folders, certificates, strict=True):
        folder.with_suffix(".input.json").write_text(inputs[engine.certificate_id(certificate)])
        kit("verification", "--keys", folder, "--certificates", root / "certificates.jsons",
            "--input", folder.with_suffix(".input.json"), "--out", folder.with_suffix(".verif.json"))  # fmt: skip
    verifications = [f.with_suffix(".verif.json").read_text().strip() for f in folders]
    parameters, keys = engine.threshold_parameters(certificates, polynomials, verifications)
    for folder, certificate in zip(folders, certificates, strict=True):
        folder.with_suffix(".dkey").write_text(keys[engine.certificate_id(certificate)])
    return folders, parameters


def closed_box(root, ballots):
    """(uuid, archive up to the encrypted tally, the ranks cast, the trustees' folders)."""
    folders, parameters = make_key(root)
    uuid = engine.new_uuid()
    credentials = engine.generate_credentials(uuid, ballots)
    template = engine.question("Bench", "Rank", [f"Candidate {i}" for i in range(CANDIDATES)])
    setup = engine.set_up(uuid, template, parameters, [c.public for c in credentials])
    folder = engine.Folder.write(root / "box", uuid, setup)
    cast = []
    for index, credential in enumerate(credentials):
        ranks = [(index + j) % CANDIDATES + 1 for j in range(CANDIDATES)]
        folder.add_event("Ballot", _ballot(folder, credential.private, ranks))
        cast.append(ranks)
    folder.add_event("EndBallots")
    folder.add_event("EncryptedTally", engine.run("election", "compute-encrypted-tally", f"--dir={folder.directory}"))
    return uuid, folder.read(), cast, folders


def _ballot(folder, private, ranks):
    secrets = (private + "\n", json.dumps([ranks]))
    return engine.run("election", "generate-ballot", f"--dir={folder.directory}",
                      f"--privcred={pipes.placeholder(0)}", f"--ballot={pipes.placeholder(1)}",
                      secrets=secrets).strip()  # fmt: skip


def cpu_seconds():
    """CPU used so far by this process and the tool processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function):
    """(CPU seconds, value): CPU, not wall time, because the machine is shared."""
    start = cpu_seconds()
    value = function()
    return cpu_seconds() - start, value


def bare(archive, uuid, *args):
    with tempfile.TemporaryDirectory() as scratch:
        engine.Folder.write(scratch, uuid, archive)
        return subprocess.run(["belenios-tool", "election", *args, f"--dir={scratch}"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip


def compare(root, archive, uuid, repeats, step, kit_step):
    """Median seconds of the bare verify, the bare command and the kit's command, interleaved."""
    verify, command, by_kit, output = [], [], [], None
    path = root / f"{uuid}.bel"
    path.write_bytes(archive)
    for _ in range(repeats):
        verify.append(timed(lambda: bare(archive, uuid, "verify"))[0])
        command.append(timed(lambda: bare(archive, uuid, *step))[0])
        seconds, output = timed(lambda: kit_step(path))
        by_kit.append(seconds)
    medians = {name: statistics.median(s) for name, s in (("verify", verify), ("bare", command), ("kit", by_kit))}
    medians["ratio"] = medians["kit"] / (medians["verify"] + medians["bare"])
    return medians, output


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", help="keep the work here (default: a temporary folder)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(options.folder or scratch)
        root.mkdir(parents=True, exist_ok=True)
        uuid, archive, cast, folders = closed_box(root, options.ballots)
        figures = {"ballots": options.ballots, "candidates": CANDIDATES, "trustees": 3, "threshold": 2}

        def kit_shuffle(number):
            def step(path):
                out = root / f"shuffle-{number}.json"
                kit("shuffle", "--keys", folders[number - 1], "--archive", path, "--trustee-id", number, "--out", out)
                return out.read_text()

            return step

        figures["shuffle"], made = compare(root, archive, uuid, options.repeats, ["shuffle", "--trustee-id=1"],
                                           kit_shuffle(1))  # fmt: skip
        archive += uploads.append_then_verify(archive, uuid, "Shuffle", made)
        for number in (2, 3):
            (root / f"{uuid}.bel").write_bytes(archive)
            archive += uploads.append_then_verify(archive, uuid, "Shuffle", kit_shuffle(number)(root / f"{uuid}.bel"))
        archive += uploads.append_unchecked(archive, uuid, "EndShuffles")

        def kit_decrypt(number):
            def step(path):
                out = root / f"pd-{number}.json"
                keys = folders[number - 1]
                kit("decrypt", "--keys", keys, "--archive", path, "--decryption-key", keys.with_suffix(".dkey"),
                    "--trustee-id", number, "--out", out)  # fmt: skip
                return out.read_text()

            return step

        key = next(folders[0].glob("*.key"))
        step = ["decrypt-threshold", f"--key={key}", f"--decryption-key={folders[0].with_suffix('.dkey')}",
                "--trustee-id=1"]  # fmt: skip
        figures["decrypt"], partial = compare(root, archive, uuid, options.repeats, step, kit_decrypt(1))
        archive += uploads.partial_decryption_checked(archive, uuid, "PartialDecryption", partial)[0]
        (root / f"{uuid}.bel").write_bytes(archive)
        added, result = uploads.partial_decryption_checked(
            archive, uuid, "PartialDecryption", kit_decrypt(3)(root / f"{uuid}.bel")
        )
        archive += added + uploads.append_unchecked(archive + added, uuid, "Result", result)
        engine.verify(archive, uuid)  # BeleniosError, and a traceback, if it does not
        counted = sorted(engine.decrypted_ranks(archive))
        checks = {
            "one Ballot event per ballot cast": engine.event_types(archive).count("Ballot") == options.ballots,
            "every trustee's shuffle in the archive": engine.event_types(archive).count("Shuffle") == 3,
            "the papers decrypted are the ranks cast": counted == sorted(cast),
        }
    figures["consistent"] = all(checks.values())
    print(json.dumps(figures, indent=2))
    return verdict(checks, "what was cast is not what was counted")


if __name__ == "__main__":
    sys.exit(main())
