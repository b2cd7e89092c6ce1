"""Verifiable (Belenios) elections for tests: trustees who run the trustee kit in their own
folders, as they would on their own machines, and upload its outputs through the services."""

import datetime

from django.utils import timezone

from governance.elections import trustees
from governance.elections.codes import issue_credential
from governance.elections.demo import kit_decrypt, kit_shuffle, make_election_key
from governance.elections.models import Elector, Nomination, NominationStatus, Protocol, State
from governance.elections.services import open_poll
from tests.factories.accounts import UserFactory
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory


def shuffle(election, trustee, folder):
    return kit_shuffle(election, trustee, folder)


def decrypt(election, trustee, folder):
    return kit_decrypt(election, trustee, folder)


def open_verifiable_poll(folder, names, *, method="mer2014", seats=1, voters=3, trustee_count=3, threshold=2):
    """An open verifiable election with valid candidates `names`, `voters` electors and a
    k-of-n key made by the trustee kit. Returns (election, {surname: nomination}, [codes], [users])."""
    election = ElectionFactory(method=method, seats=seats, protocol=Protocol.BELENIOS)
    users = UserFactory.create_batch(trustee_count)
    trustees.name_trustees(election, users, threshold=threshold)
    election.refresh_from_db()
    make_election_key(election, folder)
    nominations = {}
    for position, name in enumerate(sorted(names), start=1):
        nominations[name] = Nomination.objects.create(
            election=election,
            member=MemberFactory(first_name="Candidate", last_name=name),
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=position,
            submitted_on=election.notice_on,
        )
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    electors = [Elector.objects.create(election=election, member=MemberFactory()) for _ in range(voters)]
    codes = [issue_credential(elector) for elector in electors]
    open_poll(election, today=election.poll_notice_on)
    election.refresh_from_db()
    return election, nominations, codes, users


def after_close(election):
    return election.poll_closes_at + datetime.timedelta(minutes=1) if election.poll_closes_at else timezone.now()
