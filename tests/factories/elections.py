import datetime

import factory

from governance.elections import timetable
from governance.elections.models import Election, Method, Protocol
from tests.factories.bodies import BodyFactory
from tests.factories.membership import ConstituencyFactory

# A close of poll far enough ahead that every step can be taken on the timetable's own dates.
CLOSE_OF_POLL = datetime.date(2031, 6, 19)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    title = factory.Sequence(lambda n: f"Public governors election {n}")
    body = factory.SubFactory(BodyFactory)
    constituency = factory.SubFactory(ConstituencyFactory)
    seats = 1
    method = Method.FPTP
    protocol = Protocol.SEALED  # the earlier format; verifiable elections are built by their own helpers

    notice_on = factory.LazyAttribute(lambda e: e.timetable.notice_on)
    nominations_close_on = factory.LazyAttribute(lambda e: e.timetable.nominations_close_on)
    statement_on = factory.LazyAttribute(lambda e: e.timetable.statement_on)
    withdrawals_close_on = factory.LazyAttribute(lambda e: e.timetable.withdrawals_close_on)
    poll_notice_on = factory.LazyAttribute(lambda e: e.timetable.poll_notice_on)
    poll_closes_at = factory.LazyAttribute(lambda e: e.timetable.poll_closes_at)

    class Params:
        close_of_poll = CLOSE_OF_POLL
        timetable = factory.LazyAttribute(lambda e: timetable.compute(e.close_of_poll))


def open_poll_with_candidates(names, *, method=Method.MER2014, seats=1, voters=3, closes_at=None):
    """An election whose poll is open now, with valid candidates `names` (surnames) and `voters`
    electors. Returns (election, private key, {surname: nomination}, [voting codes])."""
    from django.utils import timezone

    from governance.elections import credentials, sealing
    from governance.elections.models import Channel, Elector, Nomination, NominationStatus, RefusedVote, State
    from tests.factories.membership import MemberFactory

    private_key, public_key = sealing.new_key_pair()
    election = ElectionFactory(method=method, seats=seats, state=State.POLL_OPEN, public_key=public_key)
    if closes_at is None:
        closes_at = timezone.now() + datetime.timedelta(days=3)
    election.poll_closes_at = closes_at
    election.save(update_fields=["poll_closes_at"])
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
    codes = []
    for _ in range(voters):
        code = credentials.new_credential()
        Elector.objects.create(
            election=election,
            member=MemberFactory(),
            credential_hash=credentials.credential_hash(code),
            keypad_hash=credentials.keypad_hash(code),
        )
        codes.append(code)
    RefusedVote.objects.bulk_create(RefusedVote(election=election, channel=c) for c in Channel.values)
    return election, private_key, nominations, codes


def open_sealed_poll(election, passphrase):
    """Open `election`'s poll in the retired sealed format, as `open_poll` did before it was
    retired, for the elections still open in it: a key pair, the private key handed back as a key
    file locked with `passphrase`. Returns the key file."""
    from governance.elections import sealing
    from governance.elections.models import Channel, RefusedVote, State
    from records.services import record

    private_key, election.public_key = sealing.new_key_pair()
    RefusedVote.objects.bulk_create(RefusedVote(election=election, channel=c) for c in Channel.values)
    election.state = State.POLL_OPEN
    election.save(update_fields=["public_key", "state"])
    record("election.poll_opened", f"Poll open: {election}", subject=election, payload={"sealed": True})
    return sealing.key_file(private_key, passphrase, f"{election.pk}: {election.title}")


def opened(election, private_key, sealed):
    """The choices a sealed ballot of `election` holds, as nomination ids, first preference first."""
    from governance.elections import sealing
    from governance.elections.protocols import opened_choices
    from governance.elections.selectors import candidates

    return opened_choices(sealing.unsealer(private_key)(sealed), candidates(election))
