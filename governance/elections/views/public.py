"""Public pages: elections, statements of candidates, nominations, results and the BLT file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from governance.elections import permissions, selectors
from governance.elections.errors import ElectionError
from governance.elections.forms import NominationForm
from governance.elections.phone_voting import phone_number
from governance.elections.services import nominate as nominate_service
from governance.elections.services import nomination_refusal, withdraw_nomination
from governance.elections.text_voting import text_number


def _public_election(pk):
    return get_object_or_404(selectors.public_elections(), pk=pk)


def _member_of(user):
    return getattr(user, "member", None) if user.is_authenticated else None


def election_list(request):
    return render(request, "elections/list.html", {"elections": selectors.public_elections()})


def election_detail(request, pk):
    election = _public_election(pk)
    member = _member_of(request.user)
    context = {
        "election": election,
        "candidates": selectors.candidates(election) if permissions.statement_is_public(election) else [],
        "statement_published": permissions.statement_is_public(election),
        "poll_open": permissions.poll_is_open(election),
        "text_number": text_number(),
        "phone_number": phone_number(),
        "result_public": permissions.result_is_public(election),
        "own_nomination": election.nominations.filter(member=member).first() if member else None,
        "may_nominate": member is not None and nomination_refusal(election, member, timezone.localdate()) is None,
    }
    return render(request, "elections/detail.html", context)


@login_required
def nominate(request, pk):
    election = _public_election(pk)
    member = _member_of(request.user)
    refusal = "Your account is not linked to a membership." if member is None else None
    refusal = refusal or nomination_refusal(election, member, timezone.localdate())
    if refusal:
        return render(request, "elections/nominate.html", {"election": election, "refusal": refusal}, status=403)
    form = NominationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            nominate_service(election, member, actor=request.user, **form.cleaned_data)
        except ValidationError as error:  # the word limit, checked once, by the service
            form.add_error(None, error)
        except ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your nomination has been received. The returning officer will check it.")
            return redirect("elections:detail", pk=election.pk)
    return render(request, "elections/nominate.html", {"election": election, "form": form})


@login_required
@require_POST
def withdraw(request, pk):
    election = _public_election(pk)
    member = _member_of(request.user)
    nomination = election.nominations.filter(member=member).first() if member else None
    if nomination is None:
        raise Http404("You have no nomination in this election.")
    try:
        withdraw_nomination(nomination, actor=request.user)
    except ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You have withdrawn from the election.")
    return redirect("elections:detail", pk=election.pk)


def results(request, pk):
    election = _public_election(pk)
    if not permissions.result_is_public(election):
        raise Http404("The result has not been declared.")
    return render(
        request, "elections/results.html", {"election": election, "result": election.result, "sheet": _sheet(election)}
    )


def ballots_blt(request, pk):
    election = _public_election(pk)
    if not permissions.result_is_public(election) or not election.blt:
        raise Http404("No ballots are published for this election.")
    response = HttpResponse(election.blt, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.blt"'
    return response


def _sheet(election):
    """The result sheet as rows: a candidate's total at each stage, with the transfer beside it."""
    result = election.result or {}
    stages = result.get("stages", [])
    names = [*result.get("candidates", []), "Non-transferable"]
    rows = []
    for name in names:
        cells = []
        for stage in stages:
            if name == "Non-transferable":
                cells.append((stage["non_transferable"], stage["total_non_transferable"]))
            else:
                cells.append((stage["transfers"].get(name, ""), stage["totals"][name]))
        rows.append({"name": name, "cells": cells, "elected": name in result.get("elected", [])})
    return {"stages": stages, "rows": rows}


def easy_read(request, pk):
    """How to vote, in easy read: short sentences, a picture for each step. The easy-read email
    links here; the election's page links here for everyone."""
    election = _public_election(pk)
    return render(
        request, "elections/easy_read.html", {"election": election, "poll_open": permissions.poll_is_open(election)}
    )
