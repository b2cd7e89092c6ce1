import datetime

import pytest

from tests.factories.membership import admitted
from tests.factories.motions import general_meeting

ADMITTED = datetime.date(2024, 1, 1)


@pytest.fixture
def meeting(db):
    return general_meeting()


@pytest.fixture
def members(db):
    """Six members on the register: enough for a proposer and the rulebook's five supporters."""
    return [admitted(on=ADMITTED).member for _ in range(6)]


@pytest.fixture
def secretary(make_user):
    return make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
