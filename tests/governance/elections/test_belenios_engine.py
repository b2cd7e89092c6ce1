"""The Belenios engine and the trustee kit, end to end with a small election: three trustees
make a 2-of-3 key on their own folders, voters cast, every trustee shuffles, two decrypt, and the
archive verifies; the refusals a careless or dishonest step meets."""

import json
import subprocess
import threading
from pathlib import Path

import pytest

from governance.elections.belenios import casting, engine, trustee_kit, uploads

pytestmark = pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed")

CANDIDATES = ["Ada", "Ben", "Cai", "Dee"]


def kit(*argv):
    assert trustee_kit.main([str(a) for a in argv]) == 0


def make_key(tmp, trustees, threshold):
    """The three rounds, each trustee running the kit in their own keys folder."""
    folders = [tmp / f"trustee{i}" for i in range(1, trustees + 1)]
    for folder in folders:
        kit("certificate", "--keys", folder, "--out", folder.with_suffix(".cert.json"))
    certificates = [folder.with_suffix(".cert.json").read_text() for folder in folders]
    engine.check_certificates(certificates)
    (tmp / "certificates.jsons").write_text("".join(c.strip() + "\n" for c in certificates))
    for folder in folders:
        out = folder.with_suffix(".poly.json")
        kit(
            "polynomial",
            "--keys",
            folder,
            "--certificates",
            tmp / "certificates.jsons",
            "--threshold",
            threshold,
            "--out",
            out,
        )
    polynomials = [folder.with_suffix(".poly.json").read_text() for folder in folders]
    inputs = engine.verification_inputs(certificates, polynomials)
    verifications = []
    for folder, certificate in zip(folders, certificates, strict=True):
        (folder.with_suffix(".vinput")).write_text(inputs[engine.certificate_id(certificate)])
        out = folder.with_suffix(".verif.json")
        kit(
            "verification",
            "--keys",
            folder,
            "--certificates",
            tmp / "certificates.jsons",
            "--input",
            folder.with_suffix(".vinput"),
            "--out",
            out,
        )
        verifications.append(out.read_text())
    parameters, decryption_keys = engine.threshold_parameters(certificates, polynomials, verifications)
    for folder, certificate in zip(folders, certificates, strict=True):
        folder.with_suffix(".dkey").write_text(decryption_keys[engine.certificate_id(certificate)])
    return folders, parameters


@pytest.fixture(scope="module")
def election(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("belenios")
    folders, parameters = make_key(tmp, trustees=3, threshold=2)
    uuid = engine.new_uuid()
    credentials = engine.generate_credentials(uuid, 4)
    setup = engine.set_up(
        uuid, engine.question("Test", "Rank the candidates", CANDIDATES), parameters, [c.public for c in credentials]
    )
    return tmp, folders, uuid, credentials, setup


def test_private_credential_gives_its_public_credential(election):
    _, _, uuid, credentials, _ = election
    assert engine.public_credential(uuid, credentials[0].private) == credentials[0].public
    private = credentials[0].private
    mistyped = private[:-1] + ("2" if private[-1] != "2" else "3")  # the last character is the checksum
    for wrong in (mistyped, private[:-1]):
        with pytest.raises(engine.BeleniosError):
            engine.public_credential(uuid, wrong)


def test_k_of_n_trustees_shuffle_decrypt_and_the_archive_verifies(election):
    tmp, folders, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    papers = [[1, 2, 3, 0], [0, 1, 0, 2], [2, 2, 1, 0]]
    ballots = []
    for credential, ranks in zip(credentials, papers, strict=False):
        ballots.append(casting.generate_ballot(cast, credential.private, credential.public, ranks))
    archive = setup + casting.add_ballots(setup, ballots)
    assert sorted(engine.ballot_summary(archive, uuid)) == sorted(casting.ballot_hash(b) for b in ballots)
    archive += engine.append_checked(archive, uuid, "EndBallots")
    archive += engine.append_checked(archive, uuid, "EncryptedTally", engine.encrypted_tally(archive, uuid))

    bel = tmp / "election.bel"
    for number, folder in enumerate(folders, start=1):
        bel.write_bytes(archive)
        out = folder.with_suffix(".shuffle.json")
        kit("shuffle", "--keys", folder, "--archive", bel, "--trustee-id", number, "--out", out)
        archive += uploads.append_then_verify(archive, uuid, "Shuffle", out.read_text())
    archive += uploads.append_unchecked(archive, uuid, "EndShuffles")

    bel.write_bytes(archive)
    for number, folder in [(1, folders[0]), (3, folders[2])]:  # two of three
        out = folder.with_suffix(".pd.json")
        kit(
            "decrypt",
            "--keys",
            folder,
            "--archive",
            bel,
            "--decryption-key",
            folder.with_suffix(".dkey"),
            "--trustee-id",
            number,
            "--out",
            out,
        )
        added, result = uploads.partial_decryption_checked(archive, uuid, "PartialDecryption", out.read_text())
        archive += added
        assert (result is None) == (number == 1)  # the second of two computes the result
    archive += uploads.append_unchecked(archive, uuid, "Result", result)
    engine.verify(archive, uuid)

    assert sorted(engine.decrypted_ranks(archive)) == sorted(papers)
    assert engine.event_types(archive).count("Shuffle") == 3


def test_kit_refuses_to_decrypt_before_every_trustee_has_shuffled(election, capsys):
    tmp, folders, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    ballot = casting.generate_ballot(cast, credentials[3].private, credentials[3].public, [1, 0, 0, 0])
    archive = setup + casting.add_ballots(setup, [ballot])
    archive += engine.append_checked(archive, uuid, "EndBallots")
    archive += engine.append_checked(archive, uuid, "EncryptedTally", engine.encrypted_tally(archive, uuid))
    bel = tmp / "early.bel"
    bel.write_bytes(archive)
    code = trustee_kit.main(
        [
            "decrypt",
            "--keys",
            str(folders[0]),
            "--archive",
            str(bel),
            "--decryption-key",
            str(folders[0].with_suffix(".dkey")),
            "--trustee-id",
            "1",
            "--out",
            str(tmp / "x.json"),
        ]
    )
    assert code == 1
    assert "trustee 1's shuffle is missing: 0 of the 3 trustees' shuffles are in" in capsys.readouterr().err


def changed_first(text):
    """`text` with its first character changed (to "A", or "B" where it was "A": always a change)."""
    return ("B" if text[0] == "A" else "A") + text[1:]


def test_a_corrupted_ballot_fails_verify_diff_and_is_not_appended(election):
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    ballot = json.loads(casting.generate_ballot(cast, credentials[0].private, credentials[0].public, [1, 2, 0, 0]))
    ballot["signature"]["hash"] = changed_first(ballot["signature"]["hash"])
    corrupted = json.dumps(ballot, separators=(",", ":"))
    with pytest.raises(engine.BeleniosError):
        engine.append_checked(setup, uuid, "Ballot", corrupted)


def test_a_ballot_under_a_credential_not_on_the_roll_fails_the_check(election):
    _, _, uuid, _, setup = election
    stranger = engine.generate_credentials(uuid, 1)[0]
    ballot = casting.generate_ballot(casting.Setup.of(uuid, setup), stranger.private, stranger.public, [1, 0, 0, 0])
    with pytest.raises(engine.BeleniosError, match="invalid credential"):
        engine.append_checked(setup, uuid, "Ballot", ballot)


def test_ballots_written_in_one_pass_make_the_archive_that_one_event_at_a_time_makes(election):
    """`archive make` on the records written at once gives, byte for byte, the archive the tool
    writes with `add-event` ballot by ballot, and the tool's own summary finds every receipt."""
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    ballots = [casting.generate_ballot(cast, c.private, c.public, [1, 0, 2, 0]) for c in credentials[:3]]
    one_at_a_time = setup
    for ballot in ballots:
        one_at_a_time += engine.append_checked(one_at_a_time, uuid, "Ballot", ballot)

    assert setup + casting.add_ballots(setup, ballots) == one_at_a_time
    engine.verify(one_at_a_time, uuid)
    assert sorted(engine.ballot_summary(one_at_a_time, uuid)) == sorted(casting.ballot_hash(b) for b in ballots)


def _spawned(monkeypatch):
    """The argument lists of every process started from now on (`subprocess.run` starts its
    process through `Popen` too)."""
    calls = []
    real_popen = subprocess.Popen

    def popen(args, **options):
        calls.append(list(args))
        return real_popen(args, **options)

    monkeypatch.setattr(subprocess, "Popen", popen)
    return calls


def test_the_tools_version_is_asked_once_per_process(election, monkeypatch):
    engine.tool_version.cache_clear()
    calls = _spawned(monkeypatch)
    engine.new_uuid()
    assert [args[1:] for args in calls] == [["--version"], ["setup", "generate-token"]]
    calls.clear()
    engine.new_uuid()
    engine.tool_path()
    assert [args[1:] for args in calls] == [["setup", "generate-token"]]  # no second `--version`


def test_the_trustee_kit_asks_the_tools_version_once_per_run(monkeypatch):
    trustee_kit.tool_version.cache_clear()
    calls = _spawned(monkeypatch)
    trustee_kit.tool("setup", "generate-token")
    trustee_kit.tool("setup", "generate-token")
    assert [args[1:] for args in calls] == [["--version"], ["setup", "generate-token"], ["setup", "generate-token"]]


def test_a_tool_of_another_version_is_refused_by_name(tmp_path, monkeypatch):
    fake = tmp_path / "belenios-tool"
    fake.write_text("#!/bin/sh\necho 1.19\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BELENIOS_TOOL", str(fake))
    with pytest.raises(engine.ToolMissing, match="2.0 is needed.*version 1.19"):
        engine.tool_path()
    with pytest.raises(trustee_kit.KitError, match="needs belenios-tool 2.0; you have 1.19"):
        trustee_kit.tool_path()


def test_records_join_back_into_the_archive(election):
    *_, setup = election
    assert b"".join(r.raw for r in engine.records(setup)) == setup
    assert engine.event_types(setup) == ["Setup"]
    assert Path  # the module imports nothing of Django


def _with_trustees(setup, change):
    """`setup` (a casting.Setup) with its trustees' file changed by `change` (JSON in, JSON out)."""
    trustees = json.dumps(change(json.loads(setup.trustees)), separators=(",", ":")).encode()
    return casting.Setup(setup.uuid, setup.election, trustees, setup.head)


def test_the_setup_is_checked_on_its_own_and_a_trustee_key_proof_changed_is_refused(election):
    """The setup a ballot is made against is checked apart (`check_setup`, once per process) by
    `election verify`, trustees' key proofs included: a proof changed there is refused."""
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    casting.check_setup(cast)

    def changed_proof(trustees):
        text = json.dumps(trustees)
        found = text.index('"challenge": "') + len('"challenge": "')
        return json.loads(text[:found] + ("1" if text[found] != "1" else "2") + text[found + 1 :])

    with pytest.raises(engine.BeleniosError):
        casting.check_setup(_with_trustees(cast, changed_proof))


def test_a_ballot_is_made_and_checked_in_one_run_of_the_tool_against_the_setup_alone(election, monkeypatch):
    """`generate-ballot` alone, on the setup with the voter's own credential: no separate check, no
    `verify`, nothing of the box. What it prints is this election's, signed under that credential."""
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    engine.tool_path()  # the version, asked once per process, is asked before we count
    calls = _spawned(monkeypatch)
    ballot = casting.generate_ballot(cast, credentials[1].private, credentials[1].public, [0, 1, 0, 0])
    assert [args[1:3] for args in calls] == [["election", "generate-ballot"]]
    assert json.loads(ballot)["election_uuid"] == uuid
    assert casting.ballot_credential(ballot) == credentials[1].public


def test_the_tool_runs_its_assertions_so_it_checks_each_ballot_it_makes(election, monkeypatch):
    """belenios 2.0's `generate-ballot` checks the ballot it made with `check_ballot` in an
    assertion before printing it; a build with assertions off would print an unchecked ballot.
    The installed build passes the probe each process makes; one that prints a ballot for a paper
    no assertion lets through is refused by name, and no vote is made with it."""
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    with pytest.raises(engine.BeleniosError, match="Assertion failed"):
        casting.generate_ballot(cast, credentials[0].private, credentials[0].public, [1, 2, 0])
    casting.check_the_tool_checks_its_ballots(cast)

    made = casting.generate_ballot(cast, credentials[0].private, credentials[0].public, [1, 2, 0, 0])
    monkeypatch.setattr(casting, "generate_ballot", lambda *args: made)  # a build whose assertions are off
    with pytest.raises(engine.BeleniosError, match="built without its assertions"):
        casting.check_the_tool_checks_its_ballots(cast)


def _closed_archive(election, ranks=(1, 0, 2, 0)):
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    ballot = casting.generate_ballot(cast, credentials[2].private, credentials[2].public, list(ranks))
    archive = setup + casting.add_ballots(setup, [ballot])
    archive += engine.append_checked(archive, uuid, "EndBallots")
    return archive + engine.append_checked(archive, uuid, "EncryptedTally", engine.encrypted_tally(archive, uuid))


def test_the_kit_verifies_while_it_shuffles_and_writes_nothing_when_the_archive_does_not_verify(
    election, monkeypatch, capsys
):
    """The kit's verify and its shuffle run at once (each waits here for the other to start, so
    run one after the other they would never end); when the verify fails, the shuffle it made is
    thrown away: nothing is written and the trustee is told why."""
    tmp, folders, *_ = election
    bel, out = tmp / "to-shuffle.bel", tmp / "never.json"
    bel.write_bytes(_closed_archive(election))
    real_tool, started = trustee_kit.tool, {"verify": threading.Event(), "shuffle": threading.Event()}

    def tool(*args, **options):
        if args[:2] in (("election", "verify"), ("election", "shuffle")):
            mine, other = args[1], "shuffle" if args[1] == "verify" else "verify"
            started[mine].set()
            assert started[other].wait(timeout=60), "the kit ran its verify and its shuffle one after the other"
            if mine == "verify":
                raise trustee_kit.KitError("belenios-tool refused: belenios-tool election verify: invalid ballot")
        return real_tool(*args, **options)

    monkeypatch.setattr(trustee_kit, "tool", tool)
    code = trustee_kit.main(["shuffle", "--keys", str(folders[0]), "--archive", str(bel), "--trustee-id", "1",
                             "--out", str(out)])  # fmt: skip
    assert code == 1
    assert not out.exists()
    printed = capsys.readouterr()
    assert "Verifying the archive (1 ballot) and shuffling its ballots at once" in printed.out
    assert "election verify: invalid ballot" in printed.err


def test_the_close_verifies_while_the_tally_is_computed_and_adds_nothing_when_it_does_not_verify(election, monkeypatch):
    _, _, uuid, credentials, setup = election
    cast = casting.Setup.of(uuid, setup)
    ballots = [casting.generate_ballot(cast, c.private, c.public, [1, 2, 0, 0]) for c in credentials[:2]]
    real_run, started = casting.run, {"verify": threading.Event(), "compute-encrypted-tally": threading.Event()}
    refuse = []

    def run(*args, **options):
        if args[:1] == ("election",) and args[1] in started:
            mine, other = args[1], next(k for k in started if k != args[1])
            started[mine].set()
            assert started[other].wait(timeout=60), "the close verified, then computed the tally, one after the other"
            if mine == "verify" and refuse:
                raise engine.BeleniosError("belenios-tool election verify: invalid ballot")
        return real_run(*args, **options)

    monkeypatch.setattr(casting, "run", run)
    added = casting.close_ballots(setup, uuid, ballots)
    assert engine.event_types(setup + added)[1:] == ["Ballot", "Ballot", "EndBallots", "EncryptedTally"]
    engine.verify(setup + added, uuid)

    for event in started.values():
        event.clear()
    refuse.append(True)
    with pytest.raises(engine.BeleniosError, match="invalid ballot"):
        casting.close_ballots(setup, uuid, ballots)
