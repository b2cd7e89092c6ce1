"""The trustee page: each round's status and who has acted, the files a trustee downloads for the
trustee kit, and one upload form for what is due from them now. Works without JavaScript.

Trustees (guardian grant per election) upload; the returning officer and scrutineers see the
status. The archive itself is public: anyone may download and verify it.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from governance.elections import box, long_steps, permissions, trustees, waits
from governance.elections.belenios import trustee_kit
from governance.elections.errors import ElectionError
from governance.elections.models import BoxEvent, Election, State


class UploadForm(forms.Form):
    file = forms.FileField(label="File written by the trustee kit", max_length=200)


def _election(pk):
    election = get_object_or_404(Election.objects.select_related("belenios"), pk=pk)
    if not hasattr(election, "belenios"):  # trustees are named with the election's Belenios parameters
        raise Http404("This election has no trustees.")
    return election


def _own_trustee(request, election):
    if not permissions.is_trustee_of(request.user, election):
        return None
    return election.trustees.filter(user=request.user).first()


def due_from(trustee):
    """What the trustee should upload now, as (action, explanation), or (None, why nothing)."""
    election = trustee.election
    current = trustees.key_round(election)
    if current is not None:
        field = trustees.ROUNDS[current - 1]
        if getattr(trustee, field):
            return None, f"You have done round {current}; waiting for the other trustees."
        return field, f"Round {current} of 3: upload your {field}.json."
    if election.state != State.POLL_CLOSED:
        return None, "Nothing is due from you until the poll closes."
    if long_steps.under_way(election):
        return None, "Nothing can be uploaded while the site works through the ballots (see above)."
    acts = set(election.box_events.filter(trustee=trustee).values_list("kind", flat=True))
    turn = trustees.shuffles_done(election) + 1
    if BoxEvent.Kind.SHUFFLE not in acts and turn < trustee.number:
        return None, f"The trustees shuffle in the order of their numbers: waiting for trustee {turn}'s shuffle."
    if BoxEvent.Kind.SHUFFLE not in acts:
        return "shuffle", "Download the archive, shuffle with the kit, and upload shuffle.json."
    problem = trustees.shuffle_problem(election)
    if problem:
        return None, f"You have shuffled; nobody decrypts until every trustee has shuffled: {problem}."
    if BoxEvent.Kind.PARTIAL_DECRYPTION not in acts:
        return "decrypt", "Download the archive again, decrypt with the kit, and upload partial-decryption.json."
    return None, "You have shuffled and decrypted. Thank you."


UPLOADS = {  # the key rounds, checked while the page waits; a shuffle or a decryption is checked on the worker
    "certificate": trustees.submit_certificate,
    "polynomial": trustees.submit_polynomial,
    "verification": trustees.submit_verification,
}


@never_cache
def page(request, pk):
    election = _election(pk)
    trustee = _own_trustee(request, election)
    if trustee is None and not permissions.can_see_running_of(request.user, election):
        raise PermissionDenied
    action, explanation = due_from(trustee) if trustee else (None, "")
    context = {
        "election": election,
        "rows": trustees.progress(election),
        "trustee": trustee,
        "action": action,
        "explanation": explanation,
        "waits": waits.waits_for(election, upload=action) if action in waits.SECONDS_PER_THOUSAND_BALLOTS else None,
        "form": UploadForm(),
        "key_round": trustees.key_round(election),
        "threshold": election.belenios.threshold,
        "has_archive": election.box_events.exists(),
        "long_step": long_steps.status(_step_shown(election, trustee)),
    }
    return render(request, "elections/trustee.html", context)


def _step_shown(election, trustee):
    """The step the trustee page shows: one under way, whoever's; else this trustee's last."""
    under_way = election.long_steps.filter(finished_at__isnull=True).select_related("trustee").first()
    if under_way or trustee is None:
        return under_way
    return long_steps.latest(election, trustee=trustee)


@require_POST
@never_cache
def upload(request, pk):
    election = _election(pk)
    trustee = _own_trustee(request, election)
    if trustee is None:
        raise PermissionDenied
    action, _ = due_from(trustee)
    form = UploadForm(request.POST, request.FILES)
    if action is None or not form.is_valid():
        messages.error(request, "Nothing is due from you now, or no file was chosen.")
        return redirect("elections:trustee", pk=pk)
    try:
        text = form.cleaned_data["file"].read().decode()
        if action in UPLOADS:
            UPLOADS[action](trustee, text, actor=request.user)
            messages.success(request, "Received and checked.")
        else:
            long_steps.request_step(election, action, actor=request.user, trustee=trustee, upload=text)
            messages.info(request, "Received. The site is checking it against the ballots in the box: see below.")
    except UnicodeDecodeError:
        messages.error(request, "That file is not the text file the trustee kit wrote. Upload its .json file.")
    except ElectionError as error:
        messages.error(request, str(error))
    return redirect("elections:trustee", pk=pk)


def _download(content, filename, content_type="application/json"):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def kit(request, pk):
    return _download(Path(trustee_kit.__file__).read_text(), "trustee_kit.py", "text/x-python")


def certificates(request, pk):
    election = _election(pk)
    return _download(trustees.certificates_file(election), "certificates.jsons")


@never_cache
def own_file(request, pk, name):
    """A trustee's own round-3 input or decryption key (encrypted to them alone)."""
    election = _election(pk)
    trustee = _own_trustee(request, election)
    if trustee is None:
        raise PermissionDenied
    field = {"verification-input.json": "verification_input", "decryption-key.json": "decryption_key"}.get(name)
    if field is None or not getattr(trustee, field):
        raise Http404("That file is not ready yet.")
    return _download(getattr(trustee, field), name)


@never_cache
def archive(request, pk):
    """The election's Belenios archive, as it stands: public, for anyone to verify."""
    election = _election(pk)
    if not election.box_events.exists():
        raise Http404("The archive starts when the poll opens.")
    return _download(box.archive(election), f"{election.belenios.uuid}.bel", "application/x-tar")
