"""Verifiable elections on Belenios, end to end on PostgreSQL: ballots cast online, by text and
on paper into the box; a 2-of-3 key, shuffles and decryptions made by the trustee kit; verified,
counted and declared. The result equals the same ballots counted from a BLT file, and the archive
written by `manage.py election_archive` passes `belenios-tool election verify` until one ballot
in it is altered. Then the refusals: decryption before every shuffle, a count with k-1
decryptions, a second ballot under one credential, a shuffle that fails the tool's verify."""

import subprocess

import pytest
from django.core.management import call_command

from governance.bodies.models import Tenure
from governance.elections import box, counting, declaration, selectors, trustees
from governance.elections.belenios import engine, uploads
from governance.elections.declaration import declare_result
from governance.elections.errors import AlreadyVoted, ElectionError, UnknownCredential
from governance.elections.models import BoxEvent, Channel, Participation, State
from governance.elections.services import close_poll
from governance.elections.text_voting import vote_by_text
from governance.elections.voting import cast_ballot
from tests.factories.bodies import SeatFactory
from tests.factories.verifiable import after_close, decrypt, open_verifiable_poll, shuffle

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not engine.available(), reason="belenios-tool 2.0 is not installed (apt-get install belenios-tool)"
    ),
]


def blt(names, seats, papers, title):
    """The BLT file of `papers` (each a list of surnames in order of preference), by hand."""
    index = {name: number for number, name in enumerate(names, start=1)}
    lines = [f"{len(names)} {seats}"]
    lines += [" ".join(["1", *(str(index[n]) for n in paper), "0"]) for paper in papers]
    lines += ["0", *(f'"Candidate {n}"' for n in names), f'"{title}"']
    return "\n".join(lines) + "\n"


def count_to_the_end(election, users, folder, *, decrypting=(0, 2), seed=7):
    close_poll(election, now=after_close(election))
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, folder))
    for index in decrypting:
        trustees.submit_partial_decryption(named[index], decrypt(election, named[index], folder))
    return declaration.count_election(election, seed=seed)


def test_stv_election_cast_on_every_channel_mixed_decrypted_by_two_of_three_verified_and_declared(tmp_path):
    names = ["Adams", "Baker", "Clark"]
    election, nominations, codes, users = open_verifiable_poll(tmp_path, names, voters=5, method="mer2014")
    SeatFactory(body=election.body, constituency=election.constituency)
    ids = {name: n.pk for name, n in nominations.items()}
    papers = [["Adams", "Baker"], ["Baker", "Adams", "Clark"], ["Clark", "Baker"], ["Baker"], []]

    receipt = cast_ballot(election, codes[0], [ids[n] for n in papers[0]], Channel.INTERNET)
    reply = vote_by_text(f"{codes[1]} 2 1 3")  # ballot numbers: Adams 1, Baker 2, Clark 3
    assert "has been received" in reply and "Your receipt:" in reply
    cast_ballot(election, codes[2], [ids[n] for n in papers[2]], Channel.POST)
    cast_ballot(election, codes[3], [ids[n] for n in papers[3]], Channel.POST)
    cast_ballot(election, codes[4], [], Channel.POST)  # a spoilt paper keyed in: void at the count
    assert receipt in selectors.ballot_receipts(election)

    election = count_to_the_end(election, users, tmp_path)
    assert election.state == State.COUNTED
    assert election.result["void"] == 1
    assert election.result["shuffles"] == 3 and election.result["decryptions"] == 2
    expected = counting.count(
        counting.read_blt(blt(names, 1, [p for p in papers if p], election.title)), "mer2014", seed=7
    )
    assert election.result["elected"] == expected.elected_names
    assert counting.read_blt(election.blt) == counting.read_blt(blt(names, 1, [p for p in papers if p], election.title))

    declare_result(election, today=election.poll_notice_on)
    assert Tenure.objects.filter(holder__last_name__in=[n.split()[-1] for n in expected.elected_names]).count() == 1

    written = tmp_path / "published" / f"{election.belenios.uuid}.bel"
    written.parent.mkdir()
    call_command("election_archive", str(election.pk), str(written))
    verified = subprocess.run(
        ["belenios-tool", "election", "verify", f"--dir={written.parent}"], capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stderr
    assert engine.event_types(written.read_bytes()).count("Shuffle") == 3

    altered = bytearray(written.read_bytes())
    ballot = next(
        r for r in engine.records(bytes(altered)) if b'"credential"' in r.content and b'"answers"' in r.content
    )
    start = bytes(altered).index(ballot.content)
    digit = start + ballot.content.index(b'"alpha":"') + len(b'"alpha":"')
    altered[digit] = ord("1") if altered[digit] != ord("1") else ord("2")
    written.write_bytes(bytes(altered))
    refused = subprocess.run(
        ["belenios-tool", "election", "verify", f"--dir={written.parent}"], capture_output=True, text=True
    )
    assert refused.returncode != 0


def test_fptp_election_counts_the_same_as_its_blt(tmp_path):
    names = ["Adams", "Baker", "Clark", "Dixon"]
    election, nominations, codes, users = open_verifiable_poll(tmp_path, names, voters=4, method="fptp", seats=2)
    ids = {name: n.pk for name, n in nominations.items()}
    papers = [["Adams", "Baker"], ["Baker"], ["Clark", "Baker"]]
    cast_ballot(election, codes[0], [ids[n] for n in papers[0]], Channel.INTERNET)
    assert "has been received" in vote_by_text(f"{codes[1]} 2")
    cast_ballot(election, codes[2], [ids[n] for n in papers[2]], Channel.POST)

    election = count_to_the_end(election, users, tmp_path, decrypting=(1, 2), seed=3)
    expected = counting.count(counting.read_blt(blt(names, 2, papers, election.title)), "fptp", seed=3)
    assert sorted(election.result["elected"]) == sorted(expected.elected_names)
    assert election.result["void"] == 0


def test_second_ballot_under_one_credential_is_refused_on_any_channel(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    first = [nominations["Adams"].pk]
    cast_ballot(election, codes[0], first, Channel.INTERNET)
    with pytest.raises(AlreadyVoted, match="Only the first vote counts"):
        cast_ballot(election, codes[0], [nominations["Baker"].pk], Channel.POST)
    assert "already been received" in vote_by_text(f"{codes[0]} 2")
    assert election.encrypted_ballots.count() == 1
    assert Participation.objects.filter(election=election).count() == 1
    assert dict(election.refused_votes.values_list("channel", "count"))[Channel.POST] == 1


def test_a_code_typed_in_the_wrong_case_is_not_recognised(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    with pytest.raises(UnknownCredential, match="capitals and small letters differ"):
        cast_ballot(election, codes[0].swapcase(), [nominations["Adams"].pk], Channel.INTERNET)


def test_decryption_is_refused_until_every_trustee_has_shuffled(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    first, second, third = election.trustees.order_by("number")
    trustees.submit_shuffle(first, shuffle(election, first, tmp_path))
    trustees.submit_shuffle(second, shuffle(election, second, tmp_path))
    with pytest.raises(ElectionError, match="shuffled the ballots: trustee 3.s shuffle is missing"):
        trustees.submit_partial_decryption(first, "{}")
    with pytest.raises(ElectionError, match="every trustee's shuffle: 2 of 3"):
        declaration.count_election(election)
    assert not election.box_events.filter(kind=BoxEvent.Kind.PARTIAL_DECRYPTION).exists()


def test_count_with_fewer_than_k_decryptions_is_refused(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    trustees.submit_partial_decryption(named[0], decrypt(election, named[0], tmp_path))
    with pytest.raises(ElectionError, match="partial decryptions from 2 trustees; 1 have decrypted"):
        declaration.count_election(election)
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED and election.result is None


def test_the_kth_decryption_computes_the_result_a_later_one_is_refused_and_the_count_verifies_once(
    tmp_path, monkeypatch
):
    """The k-th partial decryption's check is `compute-result`, so its result is kept with it; the
    count then verifies the whole archive once and computes nothing again."""
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    cast_ballot(election, codes[1], [nominations["Baker"].pk, nominations["Adams"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    trustees.submit_partial_decryption(named[0], decrypt(election, named[0], tmp_path))
    assert not election.box_events.filter(kind=BoxEvent.Kind.RESULT).exists()
    trustees.submit_partial_decryption(named[2], decrypt(election, named[2], tmp_path))
    assert election.box_events.order_by("-height").first().kind == BoxEvent.Kind.RESULT
    with pytest.raises(ElectionError, match="the result is computed: yours is not needed"):
        trustees.submit_partial_decryption(named[1], decrypt(election, named[1], tmp_path))

    spawned, real_popen = [], subprocess.Popen
    monkeypatch.setattr(
        subprocess, "Popen", lambda args, **kw: spawned.append(list(args)[1:3]) or real_popen(args, **kw)
    )
    election = declaration.count_election(election, seed=1)
    assert [args for args in spawned if args[0] == "election"] == [["election", "verify"]]
    assert sorted(box.decrypted_papers(election)) == [[1, 0], [2, 1]]  # Adams alone; Baker then Adams


def test_a_shuffle_that_fails_the_tools_verify_is_refused_and_nothing_is_appended(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    first = election.trustees.get(number=1)
    genuine = shuffle(election, first, tmp_path)
    digit = genuine.index('"alpha":"') + len('"alpha":"')
    tampered = genuine[:digit] + ("2" if genuine[digit] == "1" else "1") + genuine[digit + 1 :]
    height = election.box_events.count()
    with pytest.raises(ElectionError, match="changed since the trustee kit wrote it"):
        trustees.submit_shuffle(first, tampered)
    relabelled = uploads.as_owner(tampered.splitlines()[0], 1)  # its label made to fit, as an insider would
    with pytest.raises(ElectionError, match="does not fit the election's archive, so nothing was added"):
        trustees.submit_shuffle(first, relabelled)
    assert election.box_events.count() == height
    trustees.submit_shuffle(first, genuine)  # the trustee uploads again
    assert election.box_events.filter(kind=BoxEvent.Kind.SHUFFLE).count() == 1


def test_a_telephone_vote_opens_the_credential_with_the_keypad_code_and_goes_into_the_box(tmp_path, twilio):
    """The caller keys only their 16-digit keypad code: it opens their sealed Belenios credential at
    the confirm step, the ballot goes into the box, and nothing of the call is left behind."""
    import xml.etree.ElementTree as ElementTree

    from django.core.cache import caches
    from django.urls import reverse

    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)

    def step(path, digits=None):
        params = {"CallSid": "CA0009", "From": "+447700900456", "To": "+443005550100"}
        if digits is not None:
            params["Digits"] = digits
        response = twilio.post(path, params)
        assert response.status_code == 200
        twiml = ElementTree.fromstring(response.content)
        gather = twiml.find("Gather")
        action = gather.get("action") if gather is not None else (twiml.findtext("Redirect") or "")
        return " ".join(say.text for say in twiml.iter("Say")), action

    _, action = step(reverse("elections:phone"))
    _, action = step(action, codes[0].keypad.replace(" ", ""))
    _, action = step(action)
    read_back, action = step(action, "21")
    assert "Your first choice, Candidate Baker" in read_back
    goodbye, _ = step(action, "1")

    assert f"Your vote in {election.title} has been received" in goodbye
    assert Participation.objects.get(election=election).channel == Channel.TELEPHONE
    assert election.encrypted_ballots.count() == 1
    assert not any(caches["calls"]._cache)  # the call's state, keypad code included, is gone
