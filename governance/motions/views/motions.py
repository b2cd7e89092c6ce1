"""Members' motion pages: the list, proposing, a motion with its support, vote and outcome, and
the company secretary's decisions. Each action calls a service; each right is checked here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.accounts import require_recent_password
from config.pdf import print_format, render_pdf
from config.rulebooks import current as current_rulebook
from governance.bodies.permissions import member_of
from governance.meetings.permissions import is_member
from governance.motions import services
from governance.motions.forms import (
    MotionForm,
    PaperVoteForm,
    RejectForm,
    VoteForm,
)
from governance.motions.models import Motion, MotionStatus
from governance.motions.permissions import (
    can_decide,
    can_propose,
    can_support,
    can_vote,
)
from governance.motions.selectors import (
    meetings_open_for_motions,
    motions_for_members,
    postal_voters,
    published_motions,
)
from governance.motions.views.common import act, member_numbered, secretary_only


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


@require_POST
@login_required
def motion_support(request, pk):
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("Only members may support a motion.")
    return act(
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
    return act(request, pk, lambda m: services.cast_vote(m, member, choice), "Thank you: your vote is counted.")


@require_POST
@login_required
def motion_admit(request, pk):
    secretary_only(request)
    return act(request, pk, lambda m: services.admit_motion(m, actor=request.user), "Admitted to the agenda.")


@require_POST
@login_required
def motion_reject(request, pk):
    secretary_only(request)
    reasons = request.POST.get("reasons", "")
    return act(request, pk, lambda m: services.reject_motion(m, reasons=reasons, actor=request.user), "Not admitted.")


@require_POST
@login_required
def motion_open_poll(request, pk):
    secretary_only(request)
    return act(request, pk, lambda m: services.open_poll(m, actor=request.user), "Voting is open.")


@require_POST
@login_required
def motion_paper_vote(request, pk):
    """The company secretary keys in a voting paper returned by post."""
    secretary_only(request)
    form = PaperVoteForm(request.POST, prefix="paper")
    if not form.is_valid():
        messages.error(request, "Give the membership number on the paper and the vote marked on it.")
        return redirect("motions:motion", pk=pk)
    member = member_numbered(form.cleaned_data["membership_number"])
    if member is None:
        messages.error(request, f"No member has the number {form.cleaned_data['membership_number']}.")
        return redirect("motions:motion", pk=pk)
    choice = form.cleaned_data["choice"]
    return act(
        request,
        pk,
        lambda m: services.cast_vote(m, member, choice, actor=request.user, by_post=True),
        f"The voting paper of {member.membership_number} is counted.",
    )


@login_required
def motion_voting_papers(request, pk):
    """Printed voting papers (a PDF) for the entitled members who take post and have not voted,
    each in the format the member asked for (standard, large print or easy read)."""
    secretary_only(request)
    motion = get_object_or_404(Motion, pk=pk, status=MotionStatus.POLL_OPEN)
    require_recent_password(request)
    letters = [{**member.letter_address(), "format": print_format(member)} for member in postal_voters(motion)]
    context = {"motion": motion, "letters": letters}
    pdf = render_pdf("print/motion_papers.html", context, title=f"Voting papers: {motion.title}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="motion-{motion.pk}-voting-papers.pdf"'
    return response


@require_POST
@login_required
def motion_close_poll(request, pk):
    secretary_only(request)
    return act(request, pk, lambda m: services.close_poll(m, actor=request.user), "Voting is closed and counted.")


# Written resolutions ------------------------------------------------------------------------------
