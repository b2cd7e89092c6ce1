"""The post as a channel: postal packs to print, postbags to key, disagreements to settle.

The returning officer's screens are in the back office (their election's grant, checked here).
Operators key on the site's own plain pages: quick to load between papers, usable by keyboard
alone, and showing the papers of the bags they were named for, never the roll or the register.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from guardian.shortcuts import get_objects_for_user

from governance.elections import paper_keying, postbag, printing, selectors
from governance.elections.admin_forms import PostbagForm
from governance.elections.errors import ElectionError
from governance.elections.paper_models import PrintFile, ReturnBatch
from governance.elections.views.back_office import _election_for


@require_POST
def postal_packs(request, pk):
    election = _election_for(request, pk, run=True)
    try:
        printing.request_postal_packs(election, actor=request.user)
    except ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The postal packs are being made. This page shows their progress.")
    return redirect("elections_admin:run", pk=election.pk)


@never_cache
@require_POST
def print_file(request, pk, file_pk):
    election = _election_for(request, pk, run=True)
    wanted = get_object_or_404(PrintFile, pk=file_pk, batch__election=election)
    try:
        pdf = printing.download_print_file(wanted, request.user)
    except ElectionError as error:
        messages.error(request, str(error))
        return redirect("elections_admin:run", pk=election.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"election-{election.pk}-packs-{wanted.batch_id}-{wanted.format}-{wanted.part}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def open_bag(request, pk):
    election = _election_for(request, pk, run=True)
    form = PostbagForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
        messages.error(request, f"The postbag was not opened. {problems}")
        return redirect("elections_admin:run", pk=election.pk)
    data = form.cleaned_data
    try:
        postbag.open_postbag(
            election,
            label=data["label"],
            papers=data["papers"],
            received_at=data["received_at"],
            operators=[data["first_operator"], data["second_operator"]],
            actor=request.user,
        )
    except ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Postbag {data['label']} opened: its two operators can key it now.")
    return redirect("elections_admin:run", pk=election.pk)


@never_cache
def settle(request, pk, bag_pk):
    """The papers of a bag its operators keyed differently, each with both keyings: the returning
    officer takes the paper in hand and says which keying is right."""
    election = _election_for(request, pk, run=True)
    batch = get_object_or_404(ReturnBatch, pk=bag_pk, election=election)
    if request.method == "POST":
        try:
            postbag.settle(
                batch, int(request.POST.get("position", 0)), right=request.POST.get("right"), actor=request.user
            )
        except (ElectionError, ValueError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Paper settled and taken in.")
        return redirect("elections_admin:settle", pk=election.pk, bag_pk=batch.pk)
    context = {
        "election": election,
        "batch": batch,
        "rows": _with_names(postbag.disagreements(batch), election),
        "conditions": paper_keying.CONDITIONS,
        "page_title": f"Settle postbag {batch.label}",
        "header_icon": "doc-full",
    }
    return render(request, "elections/admin/settle.html", context)


def _with_names(rows, election):
    standing = selectors.ballot_candidates(election)
    names = {str(n.pk): selectors.candidate_name(n, standing) for n in standing}
    for row in rows:
        for side in ("first", "second"):
            row[side]["named_marks"] = [(names.get(pk, pk), mark) for pk, mark in row[side]["marks"].items()]
    return rows


@require_POST
def withdraw_bag(request, pk, bag_pk):
    election = _election_for(request, pk, run=True)
    batch = get_object_or_404(ReturnBatch, pk=bag_pk, election=election)
    try:
        postbag.withdraw_postbag(batch, actor=request.user)
    except ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Postbag {batch.label} withdrawn: nothing of it was cast.")
    return redirect("elections_admin:run", pk=election.pk)


# Operators ---------------------------------------------------------------------------------------------


def _bag_for_operator(request, bag_pk):
    batch = get_object_or_404(ReturnBatch.objects.select_related("election"), pk=bag_pk)
    if not request.user.has_perm(postbag.KEY, batch):
        raise PermissionDenied
    return batch


@login_required
def my_bags(request):
    bags = get_objects_for_user(request.user, postbag.KEY, ReturnBatch, accept_global_perms=False)
    rows = [(bag, postbag.next_position(bag, request.user)) for bag in bags.select_related("election")]
    return render(request, "elections/postbags.html", {"rows": rows})


@never_cache
@sensitive_post_parameters()
@login_required
def key(request, bag_pk):
    batch = _bag_for_operator(request, bag_pk)
    standing = selectors.ballot_candidates(batch.election)
    if request.method == "POST":
        marks = {str(n.pk): request.POST.get(f"mark-{n.pk}", "") for n in standing}
        try:
            postbag.key_paper(
                batch,
                request.user,
                position=int(request.POST.get("position", 0)),
                keyed_code=request.POST.get("code", ""),
                condition=request.POST.get("condition", paper_keying.AS_MARKED),
                marks=marks,
            )
        except ElectionError as error:
            return _keying_page(request, batch, standing, error=str(error), status=400)
        return redirect("elections:key_postbag", bag_pk=batch.pk)
    return _keying_page(request, batch, standing)


def _keying_page(request, batch, standing, *, error=None, status=200):
    # After a refusal the marks stay as typed; the code is scanned again, never echoed back.
    kept = request.POST if error else {}
    context = {
        "batch": batch,
        "position": postbag.next_position(batch, request.user),
        "candidates": [(n.pk, selectors.candidate_name(n, standing), kept.get(f"mark-{n.pk}", "")) for n in standing],
        "conditions": paper_keying.CONDITIONS,
        "error": error,
    }
    return render(request, "elections/key_postbag.html", context, status=status)


@require_POST
@login_required
def abandon(request, bag_pk):
    batch = _bag_for_operator(request, bag_pk)
    try:
        deleted = postbag.abandon_keying(batch, request.user)
    except ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Your keying of postbag {batch.label} was abandoned: {deleted} paper(s) deleted.")
    return redirect("elections:postbags")
