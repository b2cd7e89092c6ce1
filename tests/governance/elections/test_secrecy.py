"""Invariant 1, the secret ballot: nothing in the schema leads from a ballot to a voter."""

import pytest
from django.apps import apps
from django.db import models

from governance.elections.models import Ballot

IDENTITIES = {"elections.elector", "membership.member", "elections.participation", "config.user"}


def reachable_models(model, seen=None):
    """Every model reachable from `model` along forward relations (foreign keys, one-to-one, m2m)."""
    seen = seen if seen is not None else set()
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and field.related_model not in seen:
            seen.add(field.related_model)
            reachable_models(field.related_model, seen)
    return seen


def test_a_ballot_relates_only_to_its_election():
    relations = [f.name for f in Ballot._meta.get_fields() if f.is_relation and f.concrete]
    assert relations == ["election"]
    assert not [f for f in Ballot._meta.get_fields() if f.is_relation and not f.concrete]


def test_no_path_from_a_ballot_leads_to_an_elector_member_user_or_participation():
    # The election's own relations lead to its body and constituency, never back down to voters:
    # reverse relations are not followed, because from the election every ballot and every
    # participation is equally reachable and says nothing about which goes with which.
    reached = {m._meta.label_lower for m in reachable_models(Ballot)}
    assert not reached & IDENTITIES, reached & IDENTITIES


def test_a_ballot_has_no_date_or_time_and_a_random_key():
    assert not [f for f in Ballot._meta.get_fields() if isinstance(f, models.DateField | models.DateTimeField)]
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert Ballot._meta.pk.default.__name__ == "uuid4"


def test_a_ballot_has_no_history():
    assert not hasattr(Ballot, "history")
    assert "elections.historicalballot" not in {m._meta.label_lower for m in apps.get_models()}


def test_a_participation_keeps_the_day_only():
    from governance.elections.models import Participation

    assert not [f for f in Participation._meta.get_fields() if isinstance(f, models.DateTimeField)]
    assert "elections.historicalparticipation" not in {m._meta.label_lower for m in apps.get_models()}


@pytest.mark.django_db
def test_ballot_content_is_sealed_not_stored_in_clear():
    from governance.elections import sealing
    from tests.factories.elections import ElectionFactory

    private_key, public_key = sealing.new_key_pair()
    election = ElectionFactory(public_key=public_key)
    ranking = [3, 1]
    ballot = Ballot.objects.create(election=election, sealed=sealing.seal_ranking(public_key, ranking, 3))
    stored = bytes(Ballot.objects.get(pk=ballot.pk).sealed)
    assert bytes([0, 3, 0, 1]) not in stored
    assert sealing.unsealer(private_key)(stored).ballot_numbers == (3, 1)
