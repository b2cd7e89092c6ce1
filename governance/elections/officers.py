"""Who runs and checks an election: per-election grants (django-guardian), each recorded."""

from django.contrib.auth import get_user_model
from django.db import transaction
from guardian.shortcuts import assign_perm

from governance.elections import permissions
from governance.elections.errors import ElectionError
from records.services import record

SCRUTINEER_ROLE = "Scrutineer"


@transaction.atomic(durable=True)
def appoint_scrutineer(election, email, *, actor=None):
    """Grant the holder of the Scrutineer role with `email` read-only sight of `election`."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), groups__name=SCRUTINEER_ROLE).first()
    if user is None:
        raise ElectionError("No user with that email holds the Scrutineer role.")
    assign_perm(permissions.SCRUTINISE, user, election)
    record(
        "election.scrutineer_appointed",
        f"{user.email} appointed scrutineer of {election}",
        actor=actor,
        subject=election,
    )
    return user
