"""Who may do what with an election: small predicates over guardian's per-election grants and
the election's state. Views, templates and tests use these; the back office checks them
server-side on every request."""

from guardian.shortcuts import get_objects_for_user

from governance.elections.models import Election, State

ADD = "elections.add_election"
RUN = "elections.run_election"
SCRUTINISE = "elections.scrutinise_election"


def is_returning_officer_of(user, election):
    return user.is_authenticated and user.has_perm(RUN, election)


def can_see_running_of(user, election):
    """Returning officers and scrutineers of this election see its back-office pages."""
    return is_returning_officer_of(user, election) or (user.is_authenticated and user.has_perm(SCRUTINISE, election))


def may_see_elections(user):
    """The back office's Elections menu: for those who may set one up, or run or scrutinise one."""
    if not user.is_authenticated:
        return False
    if user.has_perm(ADD):
        return True
    grants = get_objects_for_user(user, [RUN, SCRUTINISE], Election, any_perm=True, accept_global_perms=False)
    return grants.exists()


def poll_is_open(election):
    return election.state == State.POLL_OPEN


def result_is_public(election):
    return election.state in (State.DECLARED, State.UNCONTESTED)


def statement_is_public(election):
    return election.state not in (State.DRAFT, State.NOTICE_PUBLISHED, State.NOMINATIONS_OPEN)


TRUSTEE = "elections.act_as_trustee"


def is_trustee_of(user, election):
    """A trustee holds a share of this election's key (granted per election)."""
    return user.is_authenticated and user.has_perm(TRUSTEE, election)
