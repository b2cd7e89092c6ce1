"""Voting codes: issued to each elector between the close of nominations and the close of poll, by
email through a task or printed on a postal letter. A code exists only in what is delivered: the
database keeps its hash, or for a verifiable election its Belenios public credential."""

from django.db import transaction

from config.history import with_actor
from governance.elections import box, credentials
from governance.elections.errors import ElectionError
from governance.elections.models import Elector, State
from governance.elections.phone_voting import phone_number
from governance.elections.selectors import postal_electors
from governance.elections.text_voting import text_number
from records.services import record


@transaction.atomic(durable=True)
def issue_credential(elector, *, actor=None, reason="issued", fresh=None):
    """A fresh credential for `elector`; any earlier one stops working. Returns the credential,
    which exists nowhere else: the caller delivers it. `fresh` is a Belenios credential made ahead
    in a batch (`fresh_credentials`), for a verifiable election."""
    return _issue_credential(elector, actor=actor, reason=reason, fresh=fresh)


@transaction.atomic
def _issue_credential(elector, *, actor, reason, fresh):
    # The elector's row: two issues at once would miscount, and hand out a credential the other replaced.
    elector = Elector.objects.select_for_update().select_related("election", "member").get(pk=elector.pk)
    if elector.election.state not in (State.NOMINATIONS_CLOSED, State.POLL_OPEN):
        raise ElectionError("Credentials are issued between the close of nominations and the close of poll.")
    if elector.election.is_verifiable:
        credential = box.issue_verifiable_credential(elector, fresh)
    else:
        credential = _issue_sealed_credential(elector)
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
    """An iterator of `count` Belenios credentials made in one run of the tool, for issuing codes to
    many electors of a verifiable election before its poll opens; empty for any other election."""
    if not election.is_verifiable or count < 1:
        return iter(())
    return iter(box.fresh_credentials(election, count))


def _issue_sealed_credential(elector):
    credential = credentials.new_credential()
    # Keyed on a telephone, a code has 48 bits; draw again in the rare case another elector's
    # keys are the same.
    while Elector.objects.filter(keypad_hash=credentials.keypad_hash(credential)).exists():
        credential = credentials.new_credential()
    elector.credential_hash = credentials.credential_hash(credential)
    elector.keypad_hash = credentials.keypad_hash(credential)
    return credential


@transaction.atomic(durable=True)
def postal_mail_merge(election, *, actor=None):
    """Rows for printed voting letters: each postal elector who has not voted gets a fresh
    credential (an earlier letter stops working). Returns a list of dicts for a CSV."""
    other_channels = {"text_to": text_number(), "phone": phone_number()}
    other_channels = {column: number for column, number in other_channels.items() if number}
    rows = []
    postal = list(postal_electors(election))
    fresh = fresh_credentials(election, len(postal))
    for elector in postal:
        credential = _issue_credential(elector, actor=actor, reason="postal letter", fresh=next(fresh, None))
        keypad = {"keypad_code": credential.keypad} if election.is_verifiable else {}
        rows.append({**elector.member.letter_address(), "credential": credential, **keypad, **other_channels})
    record(
        "election.postal_credentials_issued",
        f"{len(rows)} postal voting letters produced for {election}",
        actor=actor,
        subject=election,
        payload={"letters": len(rows)},
    )
    return rows


# The poll -----------------------------------------------------------------------------------------------
