"""Invariant 1 on Belenios, as an insider with the database: after votes on every channel no table
holds a voting code, a keypad code or a choice; a telephone voter's credential is kept only sealed
under Argon2id of their keypad code; a database reader links an elector to an *encrypted* ballot,
which looks the same whatever it says, and holds no trustee's private key to open it; fewer than k
trustees' decryptions give no result; and while casting, the server hands the code and the choice
to `belenios-tool` through pipes, never a file, and never on a command line: the roll finds a code
by its keyed hash (only a code it cannot find so, mistyped or older, has its public part derived by
the tool, as docs/returning-officer.md says)."""

import json
import logging
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nacl.pwhash
import pytest
from django.db import connection
from django.urls import reverse
from django.utils.crypto import salted_hmac
from nacl.secret import SecretBox

from governance.elections import box, selectors, trustees
from governance.elections.belenios import engine
from governance.elections.credentials import keypad_hash
from governance.elections.errors import UnknownCredential
from governance.elections.models import Channel, Elector, EncryptedBallot, PublicCredential
from governance.elections.services import close_poll
from governance.elections.text_voting import vote_by_text
from governance.elections.voting import cast_ballot
from tests.at_rest import cached_entries, tables_holding
from tests.factories.verifiable import after_close, decrypt, open_verifiable_poll, shuffle

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads every column through information_schema"),
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
    pytest.mark.django_db,
]
ARGON2ID = nacl.pwhash.argon2id


def binary_columns_holding(secret):
    """Every (table, column) of type bytea whose value contains the bytes `secret`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'bytea'"
        )
        found = []
        for table, column in cursor.fetchall():
            name, field = connection.ops.quote_name(table), connection.ops.quote_name(column)
            cursor.execute(f"SELECT 1 FROM {name} WHERE position(%s::bytea IN {field}) > 0 LIMIT 1", [secret])
            if cursor.fetchone():
                found.append((table, column))
    return found


def held_anywhere(text):
    return tables_holding(text) + binary_columns_holding(text.encode())


def ranks_forms(ranks):
    """How a paper's ranks could be written down: as the tool takes them, or as a list."""
    return [
        json.dumps([ranks]),
        json.dumps(ranks),
        json.dumps([ranks], separators=(",", ":")),
        ",".join(map(str, ranks)),
    ]


def vote_by_telephone(twilio, keypad, keyed):
    def step(path, digits=None):
        params = {"CallSid": "CA0042", "From": "+447700900456", "To": "+443005550100"}
        if digits is not None:
            params["Digits"] = digits
        twiml = ElementTree.fromstring(twilio.post(path, params).content)
        gather = twiml.find("Gather")
        return " ".join(say.text for say in twiml.iter("Say")), (
            gather.get("action") if gather is not None else (twiml.findtext("Redirect") or "")
        )

    _, action = step(reverse("elections:phone"))
    _, action = step(action, keypad.replace(" ", ""))
    _, action = step(action)
    _, action = step(action, keyed)
    said, _ = step(action, "1")
    return said


def test_after_votes_on_every_channel_no_table_log_or_cache_holds_a_code_a_keypad_code_or_a_choice(
    client, twilio, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=4)
    adams, baker, clark = (nominations[n].pk for n in ("Adams", "Baker", "Clark"))
    online = {"credential": codes[0], f"rank_{baker}": "1", f"rank_{adams}": "2"}
    assert "app-receipt" in client.post(reverse("elections:cast", args=[election.pk]), online).content.decode()
    assert "has been received" in vote_by_text(f"{codes[1]} 3 1")  # Clark, then Adams
    cast_ballot(election, codes[2], [clark, baker], Channel.POST)
    assert "has been received" in vote_by_telephone(twilio, codes[3].keypad, "12")  # Adams, then Baker
    assert election.encrypted_ballots.count() == 4

    papers = [[2, 1, 0], [2, 0, 1], [0, 2, 1], [1, 2, 0]]  # ranks in ballot order: Adams, Baker, Clark
    secrets = [
        form for code in codes for form in (code, code.replace("-", ""), code.keypad, code.keypad.replace(" ", ""))
    ]
    secrets += [form for ranks in papers for form in ranks_forms(ranks)]
    cached = repr(cached_entries())
    for secret in secrets:
        assert held_anywhere(secret) == [], f"{secret} rests in the database"
        assert secret not in caplog.text, f"{secret} was logged"
        assert secret not in cached, f"{secret} is in a cache"


def test_a_telephone_voters_credential_is_kept_only_sealed_under_argon2id_of_their_keypad_code(tmp_path, settings):
    """One Argon2id of the keypad code, under a salt only SECRET_KEY gives, makes both the hash the
    caller is found by and the key their credential is sealed under: each guess at a keypad code
    costs a database reader who has SECRET_KEY too an Argon2id, not an HMAC."""
    settings.KEYPAD_SEAL_COST = "interactive"  # as a real site seals (the suite uses the least work)
    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    salt = salted_hmac("commonweal.keypad-salt", "", algorithm="sha256").digest()[: ARGON2ID.SALTBYTES]
    for code in codes:
        stored = PublicCredential.objects.select_related("elector").get(
            public=engine.public_credential(election.belenios.uuid, code)
        )
        sealed = bytes(stored.phone_credential)
        keypad = code.keypad.replace(" ", "")
        assert len(keypad) == 16 and keypad.isdigit()
        assert code.encode() not in sealed and code.replace("-", "").encode() not in sealed

        assert sealed[0] == box.SITE_SALTED + box.SEAL_COSTS.index("interactive")  # says how it was sealed
        stretched = ARGON2ID.kdf(
            2 * SecretBox.KEY_SIZE,
            keypad.encode(),
            salt,
            opslimit=ARGON2ID.OPSLIMIT_INTERACTIVE,
            memlimit=ARGON2ID.MEMLIMIT_INTERACTIVE,
        )
        assert stored.elector.keypad_hash == "argon2id-interactive$" + stretched[:32].hex()
        assert stored.elector.keypad_hash != keypad_hash(keypad)  # not the HMAC a reader tests by millions
        assert SecretBox(stretched[32:]).decrypt(sealed[1:]).decode() == code

        neighbour = f"{(int(keypad) + 1) % 10**16:016d}"
        with pytest.raises(UnknownCredential):
            box.open_with_keypad(sealed, neighbour)
        assert held_anywhere(keypad) == [] and held_anywhere(code.keypad) == []


def test_a_database_reader_links_an_elector_to_an_encrypted_ballot_and_cannot_open_it(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=3)
    adams, baker, clark = (nominations[n].pk for n in ("Adams", "Baker", "Clark"))
    for code, chosen in zip(codes, [[adams], [clark, adams, baker], [baker, clark]], strict=True):
        cast_ballot(election, code, chosen, Channel.INTERNET)

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shape(item) for item in value]
        return type(value).__name__

    shapes = []
    for elector in Elector.objects.filter(election=election):
        ballot = json.loads(EncryptedBallot.objects.get(credential__elector=elector).ballot)  # the documented link
        assert ballot["credential"] == elector.public_credential.public
        shapes.append(json.dumps(shape(ballot), sort_keys=True))
    assert len(set(shapes)) == 1, "a ballot's form says how many preferences it gives"

    private_keys = [key.read_text().strip() for key in Path(tmp_path).glob("trustee-*/*.key")]
    assert len(private_keys) == 3
    for key in private_keys:
        assert held_anywhere(key) == [], "a trustee's private key reached the server"


def test_one_trustees_decryption_of_a_two_of_three_key_gives_no_result_even_to_the_tool(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    cast_ballot(election, codes[1], [nominations["Baker"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    trustees.submit_partial_decryption(named[1], decrypt(election, named[1], tmp_path))

    with pytest.raises(engine.BeleniosError):
        engine.compute_result(box.archive(election), election.belenios.uuid)  # past the platform's own refusal


def test_casting_hands_the_code_and_the_choice_to_the_tool_through_pipes_never_a_file(tmp_path, monkeypatch):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=1)
    calls, real_popen = [], subprocess.Popen

    def watched(args, *rest, **options):
        """Each tool run: its command line, and every file in the folders it is given, as it starts."""
        command = [str(a) for a in args]
        folders = [Path(options["cwd"])] if options.get("cwd") else []
        folders += [Path(a.split("=", 1)[1]) for a in command if a.startswith(("--dir=", "--dir1=", "--dir2="))]
        files = b"".join(f.read_bytes() for d in folders if d.is_dir() for f in d.rglob("*") if f.is_file())
        calls.append((" ".join(command), files))
        return real_popen(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", watched)
    order = [nominations["Clark"].pk, nominations["Adams"].pk]
    receipt = cast_ballot(election, codes[0], order, Channel.INTERNET)
    monkeypatch.undo()

    assert receipt in selectors.ballot_receipts(election)
    assert any("generate-ballot" in command for command, _ in calls)
    code, ranks = codes[0], ranks_forms([2, 0, 1])
    for command, files in calls:
        assert code.encode() not in files and not any(form.encode() in files for form in ranks), command
        assert not any(form in command for form in ranks), command
        assert code not in command, command  # found by its keyed hash, not derived by the tool


def test_a_code_is_found_without_the_tool_by_its_keyed_hash_and_still_found_if_the_sites_secret_changes(
    tmp_path, monkeypatch, settings
):
    from governance.elections.voting import elector_for_credential

    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    stored = Elector.objects.filter(election=election).values_list("credential_hash", flat=True)
    assert all(h.startswith("belenios-hmac$") for h in stored) and not any(c in h for c in codes for h in stored)
    derived = engine.public_credential(election.belenios.uuid, codes[0])  # the tool's own answer
    commands, real_popen = [], subprocess.Popen

    def watched(args, *rest, **options):
        commands.append(" ".join(str(a) for a in args))
        return real_popen(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", watched)
    first = elector_for_credential(election, codes[0])
    assert first.public_credential.public == derived
    assert commands == []  # no tool process, so the code was on no command line

    settings.SECRET_KEY = "a-new-secret-after-a-rotation-" + "x" * 40  # the keyed hashes no longer match
    assert elector_for_credential(election, codes[0]).pk == first.pk  # derived by the tool instead
    assert any("generate-credentials" in c for c in commands)
