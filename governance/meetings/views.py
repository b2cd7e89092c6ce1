"""Meeting pages: the list, a meeting with its agenda and papers, each paper's file, the combined
pack, and a clerk's pages to add and publish papers. Every paper passes `can_see_paper`."""

import tempfile

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.accounts import require_recent_password
from config.rulebooks import current as current_rulebook
from governance.bodies.permissions import is_clerk_of, sits_on
from governance.bodies.selectors import current_office_holders
from governance.meetings import services
from governance.meetings.forms import AttendanceForm, PaperForm
from governance.meetings.models import AgendaPart, Meeting, Minutes, Paper
from governance.meetings.permissions import (
    can_clerk_meeting,
    can_see_confidential_part,
    can_see_meeting,
    can_see_paper,
)
from governance.meetings.selectors import is_quorate, present_count, quorum_required, visible_papers
from records.selectors import latest_checkpoint


def _refuse(request):
    """Anonymous visitors are asked to sign in; signed-in users without the right are refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _paper_download(file, filename):
    """A paper's file as a download, never as a page of this site: saved and opened in the reader's own
    PDF viewer, and should a browser show it anyway, it may run nothing and load nothing."""
    response = FileResponse(file, content_type="application/pdf", as_attachment=True, filename=filename)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def meeting_list(request):
    meetings = [
        meeting
        for meeting in Meeting.objects.select_related("body").order_by("-starts_at")
        if meeting.is_public or is_clerk_of(request.user, meeting.body) or sits_on(request.user, meeting.body)
    ]
    context = {"meetings": meetings, "psc_register": current_rulebook().office.psc_register}
    return render(request, "meetings/meeting_list.html", context)


def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_see_meeting(request.user, meeting):
        return _refuse(request)
    items = meeting.agenda_items.all()
    if not can_see_confidential_part(request.user, meeting):
        items = items.filter(part=AgendaPart.PUBLIC)
    papers = visible_papers(request.user, meeting)
    minutes = getattr(meeting, "minutes", None)
    is_clerk = can_clerk_meeting(request.user, meeting)
    context = {
        "meeting": meeting,
        "agenda_items": items,
        "papers": papers,
        "published_papers": [paper for paper in papers if paper.is_published],
        "minutes": minutes if minutes and (minutes.is_approved or is_clerk) else None,
        "is_clerk": is_clerk,
        "attendance_problem": services.attendance_problem(meeting) if is_clerk else None,
        "present": present_count(meeting),
        "quorum": quorum_required(meeting),
        "quorate": is_quorate(meeting),
        "minutes_to_approve": Minutes.objects.filter(
            meeting__body=meeting.body, meeting__starts_at__lt=meeting.starts_at, approved_on__isnull=True
        ).select_related("meeting")
        if is_clerk
        else [],
        "latest_checkpoint": latest_checkpoint() if is_clerk else None,
    }
    return render(request, "meetings/meeting_detail.html", context)


def paper_file(request, pk):
    paper = get_object_or_404(Paper.objects.select_related("meeting__body", "agenda_item", "document"), pk=pk)
    if not can_see_paper(request.user, paper):
        return _refuse(request)
    return _paper_download(paper.document.file.open("rb"), paper.document.filename)


def meeting_pack(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_see_meeting(request.user, meeting):
        return _refuse(request)
    papers = [paper for paper in visible_papers(request.user, meeting) if paper.is_published]
    if not papers:
        raise Http404("No papers are published for this meeting yet.")
    # Spooled: small packs stay in memory, large ones go to disk while they stream out.
    pack = services.combined_pack(papers, tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024))
    pack.seek(0)
    return _paper_download(pack, f"meeting-{meeting.pk}-papers.pdf")


def paper_add(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_clerk_meeting(request.user, meeting):
        return _refuse(request)
    form = PaperForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.add_paper(
                meeting,
                title=form.cleaned_data["title"],
                content=form.content,
                filename=form.cleaned_data["file"].name,
                visibility=form.cleaned_data["visibility"],
                agenda_item=form.cleaned_data["agenda_item"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{paper}” is saved as a draft. Publish it when it is ready.")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/paper_form.html", {"meeting": meeting, "form": form})


@require_POST
def paper_publish(request, pk):
    paper = get_object_or_404(Paper.objects.select_related("meeting__body"), pk=pk)
    if not can_clerk_meeting(request.user, paper.meeting):
        return _refuse(request)
    try:
        services.publish_paper(paper, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{paper}” is published.")
    return redirect("meetings:meeting", pk=paper.meeting_id)


def attendance(request, pk):
    """The clerk records who was present: the body's office holders on the day by ticking them,
    anyone else by membership number. Saving replaces the earlier record and marks the meeting held."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_clerk_meeting(request.user, meeting):
        return _refuse(request)
    problem = services.attendance_problem(meeting)
    if problem:
        messages.error(request, problem)
        return redirect("meetings:meeting", pk=meeting.pk)
    holders = current_office_holders(meeting.body, on=meeting.starts_at.date())
    recorded = {attendance.member_id: attendance for attendance in meeting.attendances.select_related("member")}
    holder_pks = {tenure.holder_id for tenure in holders}
    initial = {
        "holders": [str(pk) for pk in recorded if pk in holder_pks],
        "remote": [str(pk) for pk, attendance in recorded.items() if attendance.remote and pk in holder_pks],
        "others": "\n".join(a.member.membership_number for pk, a in recorded.items() if pk not in holder_pks),
    }
    form = AttendanceForm(request.POST or None, meeting=meeting, holders=holders, initial=initial)
    if request.method == "POST" and form.is_valid():
        present, remote = form.present()
        try:
            taken = services.record_attendance(meeting, present, remote=remote, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("meetings:meeting", pk=meeting.pk)
        messages.success(
            request,
            f"Attendance saved: {len(taken['present'])} present; {taken['counting']} of the "
            f"{taken['quorum']} needed for a quorum.",
        )
        return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/attendance_form.html", {"meeting": meeting, "form": form, "holders": holders})


@require_POST
def meeting_cancel(request, pk):
    """A clerk cancels a scheduled meeting, giving the reason (the meeting's page asks for it)."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_clerk_meeting(request.user, meeting):
        return _refuse(request)
    try:
        services.cancel_meeting(meeting, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{meeting} is cancelled.")
    return redirect("meetings:meeting", pk=meeting.pk)


@require_POST
def minutes_draft(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_clerk_meeting(request.user, meeting):
        return _refuse(request)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, "Write the minutes before you save them.")
        return redirect("meetings:meeting", pk=meeting.pk)
    try:
        services.draft_minutes(meeting, text, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The draft minutes are saved.")
    return redirect("meetings:meeting", pk=meeting.pk)


@require_POST
def decision_record(request, pk):
    """A clerk enters a decision the meeting took in the governance record (a report back links to it)."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_clerk_meeting(request.user, meeting):
        return _refuse(request)
    decision = request.POST.get("decision", "").strip()
    if not decision:
        messages.error(request, "Write the decision before you record it.")
        return redirect("meetings:meeting", pk=meeting.pk)
    services.record_decision(meeting, decision, actor=request.user)
    messages.success(request, "The decision is in the governance record.")
    return redirect("meetings:meeting", pk=meeting.pk)


def minutes_approve(request, pk):
    """Approve, at this meeting, the minutes of an earlier meeting of the body: a page that names
    both meetings and asks the clerk to confirm (GET), then the approval (POST with `confirm`)."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_clerk_meeting(request.user, meeting):
        return _refuse(request)
    require_recent_password(request)
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting"),
        pk=request.POST.get("minutes") or request.GET.get("minutes"),
        meeting__body=meeting.body,
    )
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        context = {"meeting": meeting, "minutes": minutes, "problem": services.approval_problem(minutes, meeting)}
        return render(request, "meetings/minutes_approve.html", context)
    try:
        services.approve_minutes(minutes, at_meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The minutes of {minutes.meeting} are approved, and this meeting's minutes say so.")
    return redirect("meetings:meeting", pk=meeting.pk)
