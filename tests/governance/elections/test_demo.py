"""The demo works as printed: a newcomer's `bash dev run` seeds the demo and prints voting codes
that vote, and a key file that counts, kept where only its owner can read it."""

import io
import os
import re
import stat

import pytest
from django.core.management import call_command
from django.db import connection

from governance.elections import demo
from governance.elections.declaration import count_election
from governance.elections.models import Channel, Election, Participation
from governance.elections.selectors import candidates
from governance.elections.services import close_poll
from governance.elections.voting import cast_ballot

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the ballot secrecy checks run on PostgreSQL"),
    pytest.mark.django_db(transaction=True),  # committed, so what runs after the commit runs
]


@pytest.fixture
def seeded(settings, tmp_path, monkeypatch):
    """The output of `manage.py seed_demo`, as `bash dev run` runs it, on an empty database."""
    from cms.site import ensure_home_page
    from config.roles import sync_roles

    sync_roles()  # what the migrations made, emptied by any transactional test before this one
    ensure_home_page()
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(demo, "KEY_FOLDER", tmp_path / ".local" / "keys")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_printed_demo_codes_vote_and_the_owners_own_key_file_counts(seeded):
    election = Election.objects.get(title=demo.OPEN_TITLE)
    codes = re.findall(r"^\s+([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\s", seeded, re.MULTILINE)
    assert len(codes) == demo.DEMO_CODES
    first = candidates(election)[0]

    for code in codes:
        cast_ballot(election, code, [first.pk], Channel.INTERNET)

    assert Participation.objects.filter(election=election).count() == len(codes)
    key_path = re.search(r"Key file for counting it: (\S+)", seeded).group(1)
    assert key_path.startswith(str(demo.KEY_FOLDER))
    assert stat.S_IMODE(demo.KEY_FOLDER.stat().st_mode) == 0o700
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    close_poll(election, now=election.poll_closes_at)
    with open(key_path, "rb") as key_file:
        counted = count_election(election, key_file=key_file.read(), passphrase=demo.DEMO_PASSPHRASE, seed=1)
    assert counted.result["elected_nominations"] == [first.pk]


def test_the_key_folder_is_the_ignored_local_folder_never_the_system_temporary_one():
    import tempfile

    from django.conf import settings

    assert demo.KEY_FOLDER == settings.BASE_DIR / ".local" / "keys"
    assert not str(demo.KEY_FOLDER).startswith(tempfile.gettempdir())
