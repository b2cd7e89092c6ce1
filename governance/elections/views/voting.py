"""The voter's pages: voting code (or signed in as a member), ballot paper, review, confirm.

No server state: the code and the choices travel in the voter's own form posts and are checked
again by `cast_ballot` at the end. The pages are never cached, POST bodies are masked in error
reports, and nothing here logs what was chosen.
"""

import functools

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from governance.elections import selectors
from governance.elections.errors import AlreadyVoted, ElectionError, UnknownCredential
from governance.elections.forms import BallotForm, CredentialForm
from governance.elections.models import Channel, Election
from governance.elections.protocols import protocol_for
from governance.elections.voting import (
    cast_ballot,
    elector_for_credential,
    elector_for_member,
    poll_refusal,
)

WRONG_CODE = (
    "We do not know that code. Check each letter against your letter or email: a big A is not the same as a "
    "small a. If you have lost your code, see what to do below"
)


def _voter(request, election):
    """(elector, credential form): the signed-in member on the roll, else the posted code."""
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    # Where the ballot is made with the voter's code (a verifiable election's), members give it too.
    if "credential" not in request.POST and member is not None and not protocol_for(election).ballot_needs_the_code:
        return elector_for_member(election, member), CredentialForm(election=election)
    form = CredentialForm(request.POST or None, election=election)
    if not form.is_bound or not form.is_valid():
        return None, form
    try:
        return elector_for_credential(election, form.cleaned_data["credential"]), form
    except UnknownCredential:
        form.add_error("credential", WRONG_CODE)
        return None, form


def _closed(request, election, message):
    return render(request, "elections/vote_closed.html", {"election": election, "message": message}, status=403)


def _ballot_page(request, election, form, credential_form):
    context = {"election": election, "form": form, "credential_form": credential_form}
    return render(request, "elections/vote_ballot.html", context)


def voting_step(view):
    """What every step of voting does first: the election, refused while the poll is not open,
    then the voter (signed-in member or posted code), asked for their code until one is valid.
    The step is called as view(request, election, elector, credential_form)."""

    @functools.wraps(view)
    @never_cache
    @sensitive_post_parameters()
    def step(request, pk):
        # A verifiable election's parameters come with it: a cast needs them (one query fewer each).
        election = get_object_or_404(Election.objects.select_related("belenios"), pk=pk)
        refusal = poll_refusal(election)
        if refusal:
            return _closed(request, election, refusal)
        elector, credential_form = _voter(request, election)
        if elector is None:
            return render(request, "elections/vote_credential.html", {"election": election, "form": credential_form})
        return view(request, election, elector, credential_form)

    return step


@voting_step
def start(request, election, elector, credential_form):
    if elector.participations.exists():
        return _closed(request, election, "Your vote has already been received. Only your first vote counts.")
    data = request.POST if "change" in request.POST else None
    form = BallotForm(data, election=election, candidates=selectors.ballot_candidates(election))
    return _ballot_page(request, election, form, credential_form)


@require_POST
@voting_step
def review(request, election, elector, credential_form):
    form = BallotForm(request.POST, election=election, candidates=selectors.ballot_candidates(election))
    if not form.is_valid():
        return _ballot_page(request, election, form, credential_form)
    context = {"election": election, "form": form, "credential_form": credential_form, "summary": form.summary()}
    return render(request, "elections/vote_review.html", context)


@require_POST
@voting_step
@sensitive_variables("form", "choices")
def cast(request, election, elector, credential_form):
    standing = selectors.ballot_candidates(election)
    form = BallotForm(request.POST, election=election, candidates=standing)
    if not form.is_valid():
        return _ballot_page(request, election, form, credential_form)
    try:
        receipt = cast_ballot(election, elector, form.choices(), Channel.INTERNET, standing=standing)
    except AlreadyVoted as error:
        return _closed(request, election, str(error))
    except ElectionError as error:
        form.add_error(None, str(error))
        return _ballot_page(request, election, form, credential_form)
    if receipt:  # the ballot's hash, where the protocol gives one: shown once, on this page, never in an address
        return render(request, "elections/vote_received.html", {"election": election, "receipt": receipt})
    return redirect("elections:received", pk=election.pk)


@never_cache
def received(request, pk):
    election = get_object_or_404(Election, pk=pk)
    return render(request, "elections/vote_received.html", {"election": election})
