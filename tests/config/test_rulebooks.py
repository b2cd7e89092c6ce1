from fractions import Fraction

import pytest

from config import rulebooks
from governance.elections.models import Method


def test_each_organisation_type_has_a_rulebook_with_the_domain_defaults():
    trust = rulebooks.rulebook_for("foundation_trust")
    assert trust.membership.minimum_age == 16
    assert trust.elections.notice_working_days == 40
    assert trust.elections.statement_word_limit == 250
    assert trust.motions.special_majority == Fraction(3, 4)
    coop = rulebooks.rulebook_for("cooperative")
    assert coop.payments.share_required and coop.payments.share_pence == 100


def test_an_organisation_overrides_its_own_numbers():
    book = rulebooks.rulebook_for(
        "foundation_trust", {"membership": {"minimum_age": 14}, "motions": {"special_majority": "2/3"}}
    )
    assert book.membership.minimum_age == 14
    assert book.motions.special_majority == Fraction(2, 3)
    assert book.elections.notice_working_days == 40


def test_an_unknown_rule_is_an_error_not_ignored():
    with pytest.raises(ValueError, match="membership.minimum_agee is not a rule"):
        rulebooks.rulebook_for("foundation_trust", {"membership": {"minimum_agee": 14}})


def test_an_unknown_organisation_type_is_named():
    with pytest.raises(ValueError, match="'parish' is not known"):
        rulebooks.rulebook_for("parish")


def test_current_follows_the_settings(settings):
    settings.ORGANISATION_TYPE = "cooperative"
    settings.RULEBOOK_OVERRIDES = {"payments": {"share_pence": 500}}
    assert rulebooks.current().payments.share_pence == 500


def test_each_rulebooks_default_counting_method_is_one_an_election_can_use():
    assert {book.elections.default_method for book in rulebooks.RULEBOOKS.values()} <= set(Method.values)
