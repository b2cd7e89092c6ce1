"""A postbag of returned papers keyed blind by two operators: only papers both key alike go in,
through the same casting service as every channel; the rest wait for the returning officer.
Refusals (late, already voted, spoilt) are counted with their reason, and nothing is half-entered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.elections import postbag
from governance.elections.errors import ElectionError
from governance.elections.models import Ballot, Channel
from governance.elections.paper_keying import barcode_payload
from governance.elections.paper_models import KeyedPaper, Outcome, ReturnBatch, ReturnedPaper, ReturnState
from governance.elections.reconciliation import reconciliation
from governance.elections.voting import cast_ballot
from records.models import Entry
from tests.factories.elections import open_poll_with_candidates, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def operators(make_user):
    return [make_user(f"operator{n}@example.org", roles=["Postal operator"], mfa=True) for n in (1, 2)]


def open_bag(election, operators, papers, **kwargs):
    received = kwargs.pop("received_at", timezone.now() - datetime.timedelta(minutes=5))
    return postbag.open_postbag(
        election,
        label=kwargs.pop("label", "Tuesday first post"),
        papers=papers,
        received_at=received,
        operators=[u.email for u in operators],
    )


def key(batch, operator, position, code, marks=None, condition="as_marked"):
    postbag.key_paper(batch, operator, position=position, keyed_code=code, condition=condition, marks=marks or {})


def test_a_postbag_keyed_twice_goes_in_where_both_agree_and_the_officer_settles_the_rest(
    operators, django_capture_on_commit_callbacks
):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=6)
    adams, baker = nominations["Adams"].pk, nominations["Baker"].pk
    cast_ballot(election, codes[3], [adams], Channel.INTERNET)  # votes online first: their paper comes too late
    batch = open_bag(election, operators, papers=5)
    first, second = operators
    papers = [
        (barcode_payload(election, codes[0]), {adams: "1", baker: "2"}, "as_marked"),
        (codes[1], {baker: "1"}, "as_marked"),  # typed by hand from the printed code
        (barcode_payload(election, codes[3]), {adams: "1"}, "as_marked"),
        (barcode_payload(election, codes[4]), {baker: "1"}, "late"),
        (barcode_payload(election, codes[5]), {}, "as_marked"),  # returned unmarked
    ]
    for position, (code, marks, condition) in enumerate(papers, start=1):
        key(batch, first, position, code, marks, condition)
    assert not election.participations.filter(channel=Channel.POST).exists()  # one keying casts nothing
    with django_capture_on_commit_callbacks(execute=True):
        for position, (code, marks, condition) in enumerate(papers, start=1):
            misread = {adams: "1"} if position == 2 else marks  # the second operator misreads paper 2
            key(batch, second, position, code, misread, condition)

    batch.refresh_from_db()
    assert batch.state == ReturnState.SETTLING
    outcomes = dict(batch.returned.values_list("position", "outcome"))
    assert outcomes == {1: "accepted", 2: "disagreed", 3: "duplicate", 4: "late", 5: "spoilt"}
    assert list(KeyedPaper.objects.values_list("position", flat=True)) == [2, 2]  # only the unsettled paper waits

    (row,) = postbag.disagreements(batch)
    assert row["first"]["marks"] == {str(baker): "1"} and row["second"]["marks"] == {str(adams): "1"}
    postbag.settle(batch, 2, right="first")

    batch.refresh_from_db()
    assert batch.state == ReturnState.DONE and not KeyedPaper.objects.exists()
    postal = sorted(opened(election, private_key, bytes(b.sealed)) for b in Ballot.objects.filter(election=election))
    assert postal == sorted([[adams], [adams, baker], [baker]])  # the online vote and the two accepted papers
    assert election.participations.filter(channel=Channel.POST).count() == 2
    summary = reconciliation(election)
    assert summary["returned"] == 5 and summary["accepted"] == 2 and summary["waiting"] == 0
    assert dict(summary["refused"]) == {
        "received after the close of poll": 1,
        "the elector had already voted": 1,
        "spoilt": 1,
        "code unreadable": 0,
    }
    assert dict(summary["votes_by_channel"]) == {"internet": 1, "post": 2}
    taken_in = Entry.objects.get(kind="election.postbag_taken_in")
    assert taken_in.payload["accepted"] == 2 and taken_in.payload["duplicate"] == 1
    assert Entry.objects.filter(kind="election.postal_paper_settled").count() == 1


def test_a_bag_received_after_the_close_of_poll_is_refused_as_late_paper_by_paper(
    operators, django_capture_on_commit_callbacks
):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=1)
    election.poll_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    election.save(update_fields=["poll_closes_at"])
    batch = open_bag(election, operators, papers=1, received_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        for operator in operators:
            key(batch, operator, 1, codes[0], {nominations["Adams"].pk: "1"})
    assert ReturnedPaper.objects.get(batch=batch).outcome == Outcome.LATE
    assert not election.participations.exists()


def test_a_code_of_another_election_is_refused_by_name_and_nothing_is_kept(operators):
    election, _, nominations, _ = open_poll_with_candidates(["Adams", "Baker"], voters=1)
    other, _, _, other_codes = open_poll_with_candidates(["Clark"], voters=1)
    batch = open_bag(election, operators, papers=2)
    with pytest.raises(ElectionError, match=f"belongs to another election \\(number {other.pk}\\)"):
        key(batch, operators[0], 1, barcode_payload(other, other_codes[0]), {nominations["Adams"].pk: "1"})
    with pytest.raises(ElectionError, match="not one of this election's voting codes"):
        key(batch, operators[0], 1, other_codes[0], {nominations["Adams"].pk: "1"})
    assert not KeyedPaper.objects.exists()


def test_one_operator_keying_a_paper_twice_is_told_which_paper_and_nothing_changes(operators):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=2)
    batch = open_bag(election, operators, papers=3)
    key(batch, operators[0], 1, codes[0], {nominations["Adams"].pk: "1"})
    with pytest.raises(ElectionError, match="You keyed this code already, as paper 1"):
        key(batch, operators[0], 2, barcode_payload(election, codes[0]), {nominations["Baker"].pk: "1"})
    with pytest.raises(ElectionError, match="You keyed paper 1 already"):
        key(batch, operators[0], 1, codes[1], {nominations["Baker"].pk: "1"})
    key(batch, operators[1], 1, codes[0], {nominations["Adams"].pk: "1"})  # the other operator keys it blind
    assert KeyedPaper.objects.count() == 2


def test_a_keying_abandoned_half_way_leaves_nothing_and_a_withdrawn_bag_casts_nothing(operators):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=3)
    batch = open_bag(election, operators, papers=3)
    key(batch, operators[0], 1, codes[0], {nominations["Adams"].pk: "1"})
    key(batch, operators[0], 2, codes[1], {nominations["Adams"].pk: "1"})
    key(batch, operators[1], 1, codes[0], {nominations["Adams"].pk: "1"})
    assert postbag.abandon_keying(batch, operators[0]) == 2
    assert list(KeyedPaper.objects.values_list("operator", flat=True)) == [operators[1].pk]
    assert postbag.next_position(batch, operators[0]) == 1  # starts the bag again from its first paper
    postbag.withdraw_postbag(batch)
    assert not ReturnBatch.objects.exists() and not KeyedPaper.objects.exists()
    assert not election.participations.exists() and not Ballot.objects.exists()


def test_operators_are_two_different_people_with_the_role(operators, make_user):
    election, _, _, _ = open_poll_with_candidates(["Adams", "Baker"], voters=1)
    with pytest.raises(ElectionError, match="two different operators"):
        open_bag(election, [operators[0], operators[0]], papers=1)
    outsider = make_user("clerk@example.org", roles=["Clerk"])
    with pytest.raises(ElectionError, match="holds the Postal operator role"):
        open_bag(election, [operators[0], outsider], papers=1, label="Second bag")


def test_an_operator_keys_on_a_page_that_shows_the_paper_and_not_the_roll(client, operators, make_user):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=2)
    # Names no page could hold by chance (a random surname may be "Baker", a candidate's, or "Page").
    electors = list(election.electors.select_related("member"))
    for number, elector in enumerate(electors):
        elector.member.last_name = f"Elector{number}Surname"
        elector.member.save(update_fields=["last_name"])
    batch = open_bag(election, operators, papers=2)
    url = reverse("elections:key_postbag", args=[batch.pk])
    client.force_login(operators[0])
    page = client.get(url).content.decode()
    assert "Paper 1 of 2" in page and "Candidate Adams" in page
    assert not any(e.member.last_name in page or e.member.membership_number in page for e in electors)
    kept = client.post(url, {"position": 1, f"mark-{nominations['Adams'].pk}": "1", "code": codes[0]})
    assert kept.status_code == 302 and "Paper 2 of 2" in client.get(url).content.decode()
    refused = client.post(url, {"position": 2, f"mark-{nominations['Baker'].pk}": "1", "code": "E0:NOPE"})
    assert refused.status_code == 400 and "belongs to another election" in refused.content.decode()
    assert codes[0] not in client.get(url).content.decode()
    client.force_login(make_user("someone@example.org", roles=["Postal operator"], mfa=True))
    assert client.get(url).status_code == 403  # named for no bag of this election


def test_both_operators_see_the_bag_done_once_it_is_taken_in(client, operators, django_capture_on_commit_callbacks):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=2)
    batch = open_bag(election, operators, papers=2)
    url = reverse("elections:key_postbag", args=[batch.pk])
    for operator in operators:
        client.force_login(operator)
        for position, code in enumerate(codes[:2], start=1):
            with django_capture_on_commit_callbacks(execute=True):
                client.post(url, {"position": position, f"mark-{nominations['Adams'].pk}": "1", "code": code})
    assert set(batch.returned.values_list("outcome", flat=True)) == {Outcome.ACCEPTED}  # keyings deleted
    for operator in operators:  # not sent back to a paper by the keyings the take-in deleted
        client.force_login(operator)
        page = client.get(url).content.decode()
        assert "You have keyed every paper of this bag" in page and "Paper 1 of 2" not in page
