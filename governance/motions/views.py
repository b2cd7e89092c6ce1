"""Members' motion pages: the list, proposing, a motion with its support, vote and outcome, and
the company secretary's decisions. Each action calls a service; each right is checked here."""

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
    MotionForm,
    PaperReplyForm,
    PaperVoteForm,
    RejectForm,
    ReplyForm,
    VoteForm,
    WrittenResolutionForm,
)
from governance.motions.models import Motion, MotionStatus, WrittenResolution, WrittenResolutionStatus
from governance.motions.permissions import (
    can_decide,
    can_propose,
    can_reply,
    can_support,
    can_vote,
    is_on_register,
)
from governance.motions.selectors import (
    meetings_open_for_motions,
    members_by_channel,
    motions_for_members,
    postal_voters,
    published_motions,
    written_resolutions,
)
from membership.models import Member


def _visible_motions(user):
    return motions_for_members() if is_member(user) or can_decide(user) else published_motions()


def motion_list(request):
    written_resolutions = current_rulebook().motions.written_resolutions and (
        is_member(request.user) or can_decide(request.user)
    )
    context = {"motions": _visible_motions(request.user), "written_resolutions": written_resolutions}
    return render(request, "motions/motion_list.html", context)


@login_required
def motion_propose(request):
    if not can_propose(request.user):
        raise PermissionDenied("Only members on the register may propose a motion.")
    amends = None
    if request.GET.get("amends") or request.POST.get("amends"):
        amends = get_object_or_404(Motion, pk=request.GET.get("amends") or request.POST.get("amends"))
    form = MotionForm(request.POST or None, meetings=meetings_open_for_motions())
    if amends is not None:
        form.fields["meeting"].queryset = form.fields["meeting"].queryset.filter(pk=amends.meeting_id)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.propose_motion(
                form.cleaned_data["meeting"],
                member_of(request.user),
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                amends=amends,
                actor=request.user,
            )
        except services.MotionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Your motion is proposed. It needs {services.supporters_required()} members to support it.",
            )
            return redirect("motions:motion", pk=motion.pk)
    return render(request, "motions/motion_form.html", {"form": form, "amends": amends})


def motion_detail(request, pk):
    return _motion_page(request, get_object_or_404(_visible_motions(request.user), pk=pk))


def _motion_page(request, motion, vote_form=None):
    """The motion's page; with `vote_form`, a vote that failed, its errors shown on the form."""
    member = member_of(request.user)
    context = {
        "motion": motion,
        "supporters": motion.supports.count(),
        "required": services.supporters_required(),
        "can_support": can_support(request.user, motion),
        "can_vote": can_vote(request.user, motion),
        "has_voted": member is not None and motion.votes.filter(member=member).exists(),
        "can_decide": can_decide(request.user),
        "can_amend": motion.status == MotionStatus.ADMITTED and can_propose(request.user),
        "amendments": _visible_motions(request.user).filter(amends=motion),
        "vote_form": vote_form or VoteForm(),
        "paper_vote_form": PaperVoteForm(prefix="paper"),
        "reject_form": RejectForm(),
        "deadline": services.deadline(motion.meeting),
    }
    return render(request, "motions/motion_detail.html", context)


PAGES = {Motion: "motions:motion", WrittenResolution: "motions:written"}


def _act(request, pk, action, success, model=Motion):
    """Run one service on a motion (or a written resolution), turning a refusal into a message
    the member reads, and go back to its page."""
    subject = get_object_or_404(model, pk=pk)
    try:
        action(subject)
    except services.MotionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(PAGES[model], pk=subject.pk)


@require_POST
@login_required
def motion_support(request, pk):
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("Only members may support a motion.")
    return _act(
        request, pk, lambda m: services.support_motion(m, member, actor=request.user), "You support this motion."
    )


@require_POST
@login_required
def motion_vote(request, pk):
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("Only members may vote.")
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _motion_page(request, get_object_or_404(_visible_motions(request.user), pk=pk), vote_form=form)
    choice = form.cleaned_data["choice"]
    return _act(request, pk, lambda m: services.cast_vote(m, member, choice), "Thank you: your vote is counted.")


def _secretary_only(request):
    if not can_decide(request.user):
        raise PermissionDenied("Only the company secretary may do this.")


@require_POST
@login_required
def motion_admit(request, pk):
    _secretary_only(request)
    return _act(request, pk, lambda m: services.admit_motion(m, actor=request.user), "Admitted to the agenda.")


@require_POST
@login_required
def motion_reject(request, pk):
    _secretary_only(request)
    reasons = request.POST.get("reasons", "")
    return _act(request, pk, lambda m: services.reject_motion(m, reasons=reasons, actor=request.user), "Not admitted.")


@require_POST
@login_required
def motion_open_poll(request, pk):
    _secretary_only(request)
    return _act(request, pk, lambda m: services.open_poll(m, actor=request.user), "Voting is open.")


def _member_numbered(number):
    return Member.objects.filter(membership_number__iexact=number.strip()).first()


@require_POST
@login_required
def motion_paper_vote(request, pk):
    """The company secretary keys in a voting paper returned by post."""
    _secretary_only(request)
    form = PaperVoteForm(request.POST, prefix="paper")
    if not form.is_valid():
        messages.error(request, "Give the membership number on the paper and the vote marked on it.")
        return redirect("motions:motion", pk=pk)
    member = _member_numbered(form.cleaned_data["membership_number"])
    if member is None:
        messages.error(request, f"No member has the number {form.cleaned_data['membership_number']}.")
        return redirect("motions:motion", pk=pk)
    choice = form.cleaned_data["choice"]
    return _act(
        request,
        pk,
        lambda m: services.cast_vote(m, member, choice, actor=request.user, by_post=True),
        f"The voting paper of {member.membership_number} is counted.",
    )


@login_required
def motion_voting_papers(request, pk):
    """A mail-merge file of voting papers for the entitled members who take post and have not voted."""
    _secretary_only(request)
    motion = get_object_or_404(Motion, pk=pk, status=MotionStatus.POLL_OPEN)
    require_recent_password(request)
    rows = [
        {**member.letter_address(), "motion": motion.title, "text": motion.text, "kind": motion.get_kind_display()}
        for member in postal_voters(motion)
    ]
    return csv_attachment(f"motion-{motion.pk}-voting-papers.csv", rows)


@require_POST
@login_required
def motion_close_poll(request, pk):
    _secretary_only(request)
    return _act(request, pk, lambda m: services.close_poll(m, actor=request.user), "Voting is closed and counted.")


# Written resolutions ------------------------------------------------------------------------------


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
    _secretary_only(request)
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
    return _act(request, pk, action, success, model=WrittenResolution)


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
    _secretary_only(request)
    return _act_on_written(
        request,
        pk,
        lambda r: written.circulate_requested(r, actor=request.user),
        "Circulated to the members on today's register.",
    )


@require_POST
@login_required
def written_decline(request, pk):
    _secretary_only(request)
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
    _secretary_only(request)
    form = PaperReplyForm(request.POST, prefix="paper")
    member = _member_numbered(form.data.get("paper-membership_number", ""))
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
    _secretary_only(request)
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
