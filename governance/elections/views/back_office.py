"""The returning officer's back office: set up an election, then take it through each step.

Every step is a POST that calls one service; scrutineers see the same page read-only. Rights
are guardian grants on the election, checked here on every request.
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from guardian.shortcuts import get_objects_for_user

from governance.elections import (
    codes,
    declaration,
    keypad_pending,
    long_steps,
    officers,
    permissions,
    selectors,
    services,
    trustees,
    waits,
)
from governance.elections.admin_forms import (
    CountForm,
    DecisionForm,
    PostbagForm,
    ReissueForm,
    ScrutineerForm,
    SeedForm,
    SetUpForm,
    TimetableForm,
    TrusteesForm,
)
from governance.elections.errors import ElectionError
from governance.elections.models import Election, Nomination
from governance.elections.reconciliation import postal_context
from governance.elections.sealing import KeyFileError


def election_index(request):
    elections = get_objects_for_user(
        request.user, [permissions.RUN, permissions.SCRUTINISE], Election, any_perm=True, accept_global_perms=False
    )
    return render(
        request,
        "elections/admin/index.html",
        {
            "elections": elections,
            "may_set_up": request.user.has_perm(permissions.ADD),
            "page_title": "Elections",
            "header_icon": "list-ul",
        },
    )


def set_up(request):
    if not request.user.has_perm(permissions.ADD):
        raise PermissionDenied
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.set_up_election(actor=request.user, **form.cleaned_data)
        except ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{election} set up. Check the timetable, then publish the notice.")
            return redirect("elections_admin:run", pk=election.pk)
    return render(
        request,
        "elections/admin/set_up.html",
        {"form": form, "page_title": "Set up an election", "header_icon": "list-ul"},
    )


def _election_for(request, pk, *, run=False):
    election = get_object_or_404(Election.objects.select_related("body", "constituency"), pk=pk)
    allowed = permissions.is_returning_officer_of if run else permissions.can_see_running_of
    if not allowed(request.user, election):
        raise PermissionDenied
    return election


@never_cache
def run(request, pk):
    election = _election_for(request, pk)
    context = {
        "election": election,
        "page_title": election.title,
        "header_icon": "list-ul",
        "may_run": permissions.is_returning_officer_of(request.user, election),
        "nominations": election.nominations.select_related("member"),
        "electors": election.electors.count(),
        "turnout": selectors.turnout(election),
        "postal": selectors.postal_electors(election).count() if election.electors.exists() else 0,
        "keypad_sealing": keypad_pending.keypad_sealing(election),
        "refused": election.refused_votes.filter(count__gt=0),
        "count_form": CountForm(),
        "reissue_form": ReissueForm(),
        "scrutineer_form": ScrutineerForm(),
        "trustees_form": TrusteesForm(),
        "seed_form": SeedForm(),
        "timetable_form": TimetableForm.for_election(election),
        "postbag_form": PostbagForm(),
        "waits": waits.waits_for(election, close_poll="close_poll", count="count") if election.is_verifiable else None,
        "long_step": long_steps.status(long_steps.latest(election)),
        "trustee_progress": trustees.progress(election) if election.is_verifiable else [],
        **postal_context(election, request.user),
    }
    return render(request, "elections/admin/run.html", context)


def _simple_step(service):
    def step(request, election):
        service(election, actor=request.user)

    return step


def _decide(request, election):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise ElectionError("Choose valid or reject for the nomination.")
    nomination = get_object_or_404(Nomination, pk=form.cleaned_data["nomination"], election=election)
    services.decide_nomination(
        nomination, valid=form.cleaned_data["valid"], reason=form.cleaned_data["reason"], actor=request.user
    )


def _long_step(request, election, name, **inputs):
    """Ask the worker for a step over every ballot (`long_steps`); the page shows how it goes."""
    step = long_steps.request_step(election, name, actor=request.user, **inputs)
    messages.info(request, f"{step.get_name_display()}: asked for. This page shows how it goes.")
    return redirect("elections_admin:run", pk=election.pk)


def _close_poll(request, election):
    if election.is_verifiable:
        return _long_step(request, election, "close_poll")
    services.close_poll(election, actor=request.user)


def _count(request, election):
    """The count, in any protocol: a seed if one is given. A verifiable election's runs on the
    worker; a sealed one's asks for the key file and its passphrase, which may not wait in a queue,
    and runs in the request."""
    form = CountForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ElectionError("Give the seed as a whole number, or leave it blank, and upload the key file if asked.")
    if election.is_verifiable:
        return _long_step(request, election, "count", seed=form.cleaned_data.get("seed"))
    key_file = form.cleaned_data.get("key_file")
    declaration.count_election(
        election,
        key_file=key_file.read() if key_file else None,
        passphrase=form.cleaned_data.get("passphrase"),
        seed=form.cleaned_data.get("seed"),
        actor=request.user,
    )


def _reissue(request, election):
    form = ReissueForm(request.POST)
    elector = election.electors.filter(member__membership_number=form.data.get("membership_number", "").strip()).first()
    if elector is None:
        raise ElectionError("Nobody with that membership number is on this election's roll.")
    credential = codes.issue_credential(elector, actor=request.user, reason="lost, reissued by the returning officer")
    messages.warning(
        request,
        f"New voting code for {elector.member.full_name}: {credential}. Give it to them now; it is not shown "
        "again, and their old code no longer works.",
    )


def _name_trustees(request, election):
    form = TrusteesForm(request.POST)
    if not form.is_valid():
        raise ElectionError("Give the trustees' emails, one a line, and the threshold.")
    emails = [line.strip() for line in form.cleaned_data["emails"].splitlines() if line.strip()]
    users = []
    for email in emails:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise ElectionError(f"No user has the email {email}: invite them to the site first.")
        users.append(user)
    trustees.name_trustees(election, users, threshold=form.cleaned_data["threshold"], actor=request.user)


def _appoint_scrutineer(request, election):
    form = ScrutineerForm(request.POST)
    officers.appoint_scrutineer(election, form.data.get("email", ""), actor=request.user)


def _timetable(request, election):
    form = TimetableForm.for_election(election, request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
        raise ElectionError(f"The timetable was not changed. {problems}")
    recompute = request.POST.get("recompute") == "1"
    services.change_timetable(election, actor=request.user, **form.dates(recompute=recompute))
    messages.success(
        request,
        "Timetable counted back again from the new close of poll." if recompute else "Timetable changed.",
    )
    return redirect("elections_admin:run", pk=election.pk)


# Declaring the result, printing electors' addresses and appointing a scrutineer ask for the
# password again unless it was given in the last few minutes (allauth's reauthentication).
STEPS = {
    "timetable": _timetable,
    "publish_notice": _simple_step(services.publish_notice),
    "open_nominations": _simple_step(services.open_nominations),
    "decide": _decide,
    "close_nominations": _simple_step(services.close_nominations),
    "freeze_roll": _simple_step(services.freeze_roll),
    "reissue": _reissue,
    "open_poll": _simple_step(services.open_poll),
    "close_poll": _close_poll,
    "count": _count,
    "declare": reauthentication_required(_simple_step(declaration.declare_result)),
    "appoint_scrutineer": reauthentication_required(_appoint_scrutineer),
    "name_trustees": reauthentication_required(_name_trustees),
}


@never_cache
@sensitive_post_parameters("passphrase")
def step(request, pk, name):
    if request.method != "POST" or name not in STEPS:
        raise PermissionDenied
    election = _election_for(request, pk, run=True)
    try:
        response = STEPS[name](request, election)
    except (ElectionError, KeyFileError) as error:
        messages.error(request, str(error))
    else:
        if response is not None:
            return response
        messages.success(request, "Done.")
    return redirect("elections_admin:run", pk=election.pk)
