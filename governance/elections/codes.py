"""Voting codes: issued to each elector between the close of nominations and the close of poll, by
email through a task or printed on a postal letter. A code exists only in what is delivered: the
database keeps what the election's protocol keeps of it (`protocols`: for a verifiable election its
Belenios public credential, for the retired sealed format its hash).

The postal packs of a verifiable election issue codes with their keypad codes pending, sealed
afterwards in the worker (`keypad_pending`); a code issued one at a time (an email, a reissue) is
sealed at once."""

from django.db import transaction

from config.history import with_actor
from governance.elections.errors import ElectionError
from governance.elections.models import Elector, State
from governance.elections.phone_voting import phone_number
from governance.elections.protocols import protocol_for
from governance.elections.selectors import postal_electors
from governance.elections.text_voting import text_number
from records.services import record


@transaction.atomic(durable=True)
def issue_credential(elector, *, actor=None, reason="issued", fresh=None, seal_keypad_later=False):
    """A fresh credential for `elector`; any earlier one stops working. Returns the credential,
    which exists nowhere else: the caller delivers it. `fresh` is a Belenios credential made ahead
    in a batch (`fresh_credentials`), for a verifiable election; with `seal_keypad_later` its
    keypad code is left pending for `seal_keypad_codes`, which the caller queues."""
    return _issue_credential(elector, actor=actor, reason=reason, fresh=fresh, seal_keypad_later=seal_keypad_later)


@transaction.atomic
def _issue_credential(elector, *, actor, reason, fresh, seal_keypad_later=False):
    # The elector's row: two issues at once would miscount, and hand out a credential the other replaced.
    elector = Elector.objects.select_for_update().select_related("election", "member").get(pk=elector.pk)
    if elector.election.state not in (State.NOMINATIONS_CLOSED, State.POLL_OPEN):
        raise ElectionError("Credentials are issued between the close of nominations and the close of poll.")
    credential = protocol_for(elector.election).issue(elector, fresh, keypad_later=seal_keypad_later)
    elector.credentials_issued += 1
    with_actor(elector, actor).save(update_fields=["credential_hash", "keypad_hash", "credentials_issued"])
    if elector.credentials_issued > 1:
        record(
            "election.credential_reissued",
            f"Voting credential reissued to {elector.member.full_name} ({reason})",
            actor=actor,
            subject=elector.election,
            payload={"member": elector.member.membership_number},
        )
    return credential


def fresh_credentials(election, count):
    """An iterator of `count` credentials made ahead in one run, for issuing codes to many electors
    of an election before its poll opens; empty where the protocol makes each as it is issued."""
    return protocol_for(election).fresh_credentials(election, count)


@transaction.atomic(durable=True)
def postal_mail_merge(election, *, actor=None):
    """Rows for printed voting letters: each postal elector who has not voted gets a fresh
    credential (an earlier letter stops working). Returns a list of dicts for a CSV."""
    other_channels = {"text_to": text_number(), "phone": phone_number()}
    other_channels = {column: number for column, number in other_channels.items() if number}
    rows = []
    protocol = protocol_for(election)
    postal = list(postal_electors(election))
    fresh = fresh_credentials(election, len(postal))
    for elector in postal:
        credential = _issue_credential(
            elector, actor=actor, reason="postal letter", fresh=next(fresh, None), seal_keypad_later=True
        )
        on_letter = protocol.letter_columns(credential)
        rows.append({**elector.member.letter_address(), "credential": credential, **on_letter, **other_channels})
    record(
        "election.postal_credentials_issued",
        f"{len(rows)} postal voting letters produced for {election}",
        actor=actor,
        subject=election,
        payload={"letters": len(rows)},
    )
    if protocol.seals_keypads_later and rows:
        from governance.elections.tasks import seal_keypad_codes  # tasks import the services, not the reverse

        # Queued in this transaction: with the database queue, the task commits with the pending codes or neither does.
        seal_keypad_codes.enqueue(election.pk)
    return rows
