"""Written resolutions (CA 2006 ss.288-300): proposing, the company secretary circulating or declining,
members' replies online and on paper, and the letters. Each action calls a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.accounts import require_recent_password
from config.csv_safety import csv_attachment
from config.rulebooks import current as current_rulebook
from governance.bodies.permissions import member_of
from governance.meetings.permissions import is_member
from governance.motions import services, written
from governance.motions.forms import (
    DeclineForm,
    PaperReplyForm,
    ReplyForm,
    WrittenResolutionForm,
)
from governance.motions.models import WrittenResolution, WrittenResolutionStatus
from governance.motions.permissions import (
    can_decide,
    can_reply,
    is_on_register,
)
from governance.motions.selectors import (
    members_by_channel,
    written_resolutions,
)
from governance.motions.views.common import act, member_numbered, secretary_only


def _written_resolutions_allowed(request):
    if not current_rulebook().motions.written_resolutions:
        raise Http404("This organisation's rules do not provide for written resolutions.")
    if not (is_member(request.user) or can_decide(request.user)):
        raise PermissionDenied("Written resolutions are for members.")


@login_required
def written_list(request):
    _written_resolutions_allowed(request)
    context = {
        "resolutions": written_resolutions(),
        "can_decide": can_decide(request.user),
        "can_propose": member_of(request.user) is not None,
    }
    return render(request, "motions/written_list.html", context)


@login_required
def written_new(request):
    _written_resolutions_allowed(request)
    secretary_only(request)
    form = WrittenResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resolution = written.circulate_written_resolution(**form.cleaned_data, actor=request.user)
        except services.MotionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Circulated to {resolution.eligible} members; emails to those who take email are on their way. "
                "Download the letters for the others.",
            )
            return redirect("motions:written", pk=resolution.pk)
    return render(request, "motions/written_form.html", {"form": form})


@login_required
def written_propose(request):
    """A member proposes a written resolution for the members to require (CA 2006 s.292)."""
    _written_resolutions_allowed(request)
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("Only members may propose a written resolution.")
    form = WrittenResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resolution = written.propose_written_resolution(member, **form.cleaned_data, actor=request.user)
        except services.MotionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your written resolution is proposed; other members can now add their names.")
            return redirect("motions:written", pk=resolution.pk)
    return render(request, "motions/written_form.html", {"form": form, "proposing": True})


def _act_on_written(request, pk, action, success):
    _written_resolutions_allowed(request)
    return act(request, pk, action, success, model=WrittenResolution)


@require_POST
@login_required
def written_ask(request, pk):
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("Only members may ask for a written resolution to be circulated.")
    return _act_on_written(
        request, pk, lambda r: written.ask_for_circulation(r, member, actor=request.user), "Your name is added."
    )


@require_POST
@login_required
def written_circulate(request, pk):
    secretary_only(request)
    return _act_on_written(
        request,
        pk,
        lambda r: written.circulate_requested(r, actor=request.user),
        "Circulated to the members on today's register.",
    )


@require_POST
@login_required
def written_decline(request, pk):
    secretary_only(request)
    reasons = request.POST.get("reasons", "")
    return _act_on_written(
        request,
        pk,
        lambda r: written.decline_requested(r, reasons=reasons, actor=request.user),
        "Not circulated; the reasons are shown on its page.",
    )


@login_required
def written_detail(request, pk):
    _written_resolutions_allowed(request)
    return _written_page(request, get_object_or_404(WrittenResolution, pk=pk))


def _written_page(request, resolution, reply_form=None):
    """The resolution's page; with `reply_form`, a reply that failed, its errors shown on the form."""
    member = member_of(request.user)
    reply = resolution.replies.filter(member=member).first() if member else None
    seeking = resolution.status == WrittenResolutionStatus.SEEKING_SUPPORT
    context = {
        "names": resolution.requests.count(),
        "names_needed": written.requests_needed() if seeking else None,
        "may_ask": seeking
        and member is not None
        and is_on_register(member)
        and not resolution.requests.filter(member=member).exists(),
        "decline_form": DeclineForm(),
        "resolution": resolution,
        "agreed": resolution.replies.filter(agrees=True).count(),
        "reply": reply,
        "may_reply": reply is None and member is not None and can_reply(member, resolution),
        "reply_form": reply_form or ReplyForm(),
        "can_decide": can_decide(request.user),
        "paper_form": PaperReplyForm(prefix="paper"),
    }
    return render(request, "motions/written_detail.html", context)


@require_POST
@login_required
def written_reply(request, pk):
    form = ReplyForm(request.POST)
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("Only members may reply to a written resolution.")
    if not form.is_valid():
        _written_resolutions_allowed(request)
        return _written_page(request, get_object_or_404(WrittenResolution, pk=pk), reply_form=form)
    agrees = form.cleaned_data["agrees"]
    return _act_on_written(
        request,
        pk,
        lambda r: written.reply_to_written_resolution(r, member, agrees=agrees, actor=request.user),
        "Thank you: your agreement is counted." if agrees else "Thank you: your reply is recorded.",
    )


@require_POST
@login_required
def written_paper_reply(request, pk):
    secretary_only(request)
    form = PaperReplyForm(request.POST, prefix="paper")
    member = member_numbered(form.data.get("paper-membership_number", ""))
    if not form.is_valid() or member is None:
        messages.error(request, "Give the membership number on the paper, of a member, and the reply it gives.")
        return redirect("motions:written", pk=pk)
    agrees = form.cleaned_data["agrees"]
    return _act_on_written(
        request,
        pk,
        lambda r: written.reply_to_written_resolution(r, member, agrees=agrees, actor=request.user, by_post=True),
        f"The paper reply of {member.membership_number} is recorded.",
    )


@login_required
def written_letters(request, pk):
    """A mail-merge file of the resolution for the eligible members who take post."""
    _written_resolutions_allowed(request)
    secretary_only(request)
    resolution = get_object_or_404(WrittenResolution, pk=pk)
    require_recent_password(request)
    _, by_post = members_by_channel(resolution.circulated_on)
    rows = [
        {
            **member.letter_address(),
            "resolution": resolution.title,
            "text": resolution.text,
            "kind": resolution.get_kind_display(),
            "reply_by": f"{resolution.lapses_on:%d %B %Y}",
        }
        for member in by_post
    ]
    return csv_attachment(f"written-resolution-{resolution.pk}-letters.csv", rows)
