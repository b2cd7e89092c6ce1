"""One registry of counting methods, one of protocols: an election may use exactly the rule sets
the counting engine counts by, with their titles, and each protocol it may be set up in has one
implementation behind the one interface."""

import pytest

from governance.elections import counting, protocols
from governance.elections.models import Election, Method, Protocol


def test_an_elections_methods_are_the_counting_engines_rule_sets_with_their_titles():
    assert Method.choices == [(name, rule.title) for name, rule in counting.METHODS.items()]
    assert Election._meta.get_field("method").choices == Method.choices


@pytest.mark.parametrize("method", Method.values)
def test_every_method_an_election_may_use_counts(method):
    profile = counting.Profile.build(["Ann", "Bob", "Cat"], 1, [((0, 1), 4), ((2,), 3), ((1,), 2)])
    assert counting.count(profile, method, seed=1).elected_names == ["Ann"]


def test_only_first_past_the_post_counts_marked_papers():
    assert [name for name, rule in counting.METHODS.items() if not rule.ranked] == [Method.FPTP]


def test_a_marked_paper_is_void_with_more_crosses_than_seats_a_ranked_one_with_a_gap():
    marked, ranked = counting.METHODS["fptp"], counting.METHODS["mer2014"]
    assert marked.ranking([1, 0, 1], seats=2) == (0, 2)
    assert marked.ranking([1, 1, 1], seats=2) is None
    assert ranked.ranking([2, 0, 1], seats=1) == (2, 0)
    assert ranked.ranking([3, 0, 1], seats=1) is None
    assert ranked.ranking([0, 0, 0], seats=1) is None


def test_every_protocol_an_election_may_use_has_one_implementation():
    assert set(protocols.PROTOCOLS) == set(Protocol.values)
    for name, protocol in protocols.PROTOCOLS.items():
        assert protocols.protocol_for(Election(protocol=name)) is protocol
