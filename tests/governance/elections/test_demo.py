"""The demo works as printed: a newcomer's `bash dev run` seeds the demo and prints voting codes
that vote in its open election (on Belenios), with the demo trustees' keys in the project's ignored
`.local/` folder, never a shared temporary path."""

import io
import re
import tempfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from governance.elections import demo
from governance.elections.models import Channel, Election, Participation
from governance.elections.selectors import candidates
from governance.elections.voting import cast_ballot

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the ballot secrecy checks run on PostgreSQL"),
    pytest.mark.django_db(transaction=True),  # committed, so what runs after the commit runs
]


@pytest.fixture
def seeded(settings, tmp_path):
    """The output of `manage.py seed_demo`, as `bash dev run` runs it, on an empty database."""
    from cms.site import ensure_home_page
    from config.roles import sync_roles

    sync_roles()  # what the migrations made, emptied by any transactional test before this one
    ensure_home_page()
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_printed_demo_codes_vote_and_the_trustees_keys_stay_in_the_local_folder(seeded):
    ends_with_the_sign_ins_and_where_to_open_the_site(seeded)  # one seeding, checked twice
    election = Election.objects.get(title=demo.OPEN_TITLE)
    codes = re.findall(r"^\s+(\S+)  keypad [\d ]+  \(", seeded, re.MULTILINE)
    assert codes
    first = candidates(election)[0]

    for code in codes:
        cast_ballot(election, code, [first.pk], Channel.INTERNET)

    assert Participation.objects.filter(election=election).count() == len(codes)
    folder = demo._demo_folder(election)
    assert folder.is_dir()
    assert str(folder).startswith(str(settings.BASE_DIR / ".local"))
    if not str(settings.BASE_DIR).startswith(tempfile.gettempdir()):  # a checkout under /tmp has its .local there
        assert not str(folder).startswith(tempfile.gettempdir())


def ends_with_the_sign_ins_and_where_to_open_the_site(output):
    """What `bash dev run` prints last: the sign-ins and the address, not hundreds of other lines."""
    lines = output.splitlines()
    assert lines[-1] == "Demo data is ready. Open http://127.0.0.1:8000/"
    sign_ins = lines.index("Demo sign-ins (password for all: commonweal-demo):")
    assert lines[sign_ins + 1].split() == ["Member", "member@northfield.example"]
    assert all(line.startswith("  ") for line in lines[sign_ins + 1 : -1])  # nothing else after them
    assert not [line for line in lines if line.startswith(("Wrote ", "Page created", "Published"))]
