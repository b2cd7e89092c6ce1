import threading

import pytest
from django.db import close_old_connections, connection

from governance.motions.models import Vote, VoteChoice
from governance.motions.services import MotionError, admit_motion, cast_vote, open_poll, propose_motion, support_motion

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]


def test_concurrent_votes_from_one_member_leave_exactly_one(meeting, members, secretary):
    motion = propose_motion(meeting, members[0], title="T", text="That ...")
    for member in members[1:6]:
        support_motion(motion, member)
    motion = open_poll(admit_motion(motion, actor=secretary), actor=secretary)
    voter = members[3]
    start = threading.Barrier(8)
    outcomes = []

    def vote(choice):
        try:
            start.wait()
            cast_vote(motion, voter, choice)
            outcomes.append("counted")
        except MotionError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=vote, args=(choice,)) for choice in [VoteChoice.FOR, VoteChoice.AGAINST] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Vote.objects.filter(motion=motion, member=voter).count() == 1
    assert sorted(outcomes) == ["counted"] + ["refused"] * 7
