"""A batch of voting codes is made where no disk holds it: belenios-tool can only write the
private codes to a file, so it writes them in a folder made for the call, readable by the site's
user alone, on a memory-backed filesystem, removed before the codes are even parsed. A folder
on a disk is refused, by the code and by `check --deploy`."""

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import checks

from governance.elections import box
from governance.elections.belenios import engine

pytestmark = pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed")


def watch_the_tool(monkeypatch):
    """What the tool's working folder looked like while it ran: its path, mode, filesystem and the
    files it held just after the tool wrote them."""
    seen = {}
    real_run = engine.run

    def run(*args, cwd=None, **options):
        output = real_run(*args, cwd=cwd, **options)
        if args[:2] == ("setup", "generate-credentials") and cwd is not None:
            seen.update(
                folder=Path(cwd),
                mode=stat.S_IMODE(os.stat(cwd).st_mode),
                in_memory=engine.memory_backed(cwd),
                files=sorted(p.suffix for p in Path(cwd).iterdir()),
            )
        return output

    monkeypatch.setattr(engine, "run", run)
    return seen


def test_a_batch_of_codes_is_made_in_a_private_folder_in_memory_and_removed_at_once(monkeypatch, settings):
    settings.BELENIOS_SECRETS_DIR = "/dev/shm"
    election = SimpleNamespace(belenios=SimpleNamespace(uuid=engine.new_uuid()))
    seen = watch_the_tool(monkeypatch)

    made = box.fresh_credentials(election, 5)

    assert len({c.private for c in made}) == 5
    assert seen["in_memory"] and seen["mode"] == 0o700
    assert seen["folder"].parent == Path("/dev/shm")
    assert ".privcreds" in seen["files"]
    assert not seen["folder"].exists()


def test_a_folder_on_a_disk_is_refused_and_nothing_is_written_there(tmp_path):
    assert not engine.memory_backed(tmp_path)  # /tmp here is on the machine's disk

    with pytest.raises(engine.BeleniosError, match="not a memory-backed filesystem"):
        engine.generate_credentials(engine.new_uuid(), 3, secrets_dir=tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_the_folder_is_removed_when_the_tool_fails(monkeypatch, tmp_path):
    made = []
    real_mkdtemp = engine.tempfile.mkdtemp
    monkeypatch.setattr(engine.tempfile, "mkdtemp", lambda **kw: made.append(real_mkdtemp(**kw)) or made[-1])

    with pytest.raises(engine.BeleniosError):
        engine.generate_credentials("not-a-uuid", 2, secrets_dir="/dev/shm")

    assert made and not Path(made[0]).exists()


def test_deployment_checks_refuse_a_secrets_folder_on_a_disk(settings, tmp_path):
    def raised():
        return [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["security"])]

    settings.BELENIOS_SECRETS_DIR = str(tmp_path)
    assert "elections.E004" in raised()
    settings.BELENIOS_SECRETS_DIR = "/dev/shm"
    assert "elections.E004" not in raised()
