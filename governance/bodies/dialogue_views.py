"""The pages that show the dialogue between governors and members: each governor's own page (their
remit, training and figures), the engagement figures of every constituency, and "you said, we did"
reports back, with the forms a governor uses to publish one and to record a constituency meeting."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from config.rulebooks import current as current_rulebook
from governance.bodies import engagement
from governance.bodies.engagement_figures import (
    Period,
    engagement_by_constituency,
    engagement_by_governor,
    engagement_of_governor,
    training_status,
)
from governance.bodies.forms import ConstituencyMeetingForm, ReportBackForm
from governance.bodies.models import BodyKind, Question, ReportBack
from governance.bodies.permissions import member_of
from governance.bodies.selectors import tenures_on
from membership.models import Member

TO_LINK = 50  # the newest decisions and questions a report back is offered to link


def governor(request, pk):
    """A governor's own page: each seat's remit, their training, their figures and reports back;
    to the governor themself, also what waits for them."""
    holder = get_object_or_404(Member, pk=pk)
    tenures = list(
        tenures_on(timezone.localdate())
        .filter(holder=holder, seat__body__kind=BodyKind.COUNCIL_OF_GOVERNORS)
        .select_related("seat", "seat__body", "seat__constituency")
    )
    if not tenures:
        raise Http404("This person does not hold a governor's seat today.")
    period = Period.ending()
    seats = [
        {"tenure": tenure, "training": training_status(tenure), "figures": engagement_of_governor(tenure, period)}
        for tenure in tenures
    ]
    context = {
        "holder": holder,
        "seats": seats,
        "period": period,
        "report_backs": ReportBack.objects.filter(tenure__in=tenures).select_related("constituency"),
        "is_self": member_of(request.user) == holder,
        "answer_within_days": current_rulebook().engagement.answer_within_days,
    }
    if context["is_self"]:
        constituencies = [tenure.seat.constituency for tenure in tenures if tenure.seat.constituency_id]
        waiting = Question.objects.filter(constituency__in=constituencies, answered_at__isnull=True)
        late_before = timezone.now() - datetime.timedelta(days=current_rulebook().engagement.answer_within_days)
        context["waiting"] = [(question, question.asked_at < late_before) for question in waiting.order_by("asked_at")]
    return render(request, "bodies/governor.html", context)


def engagement_figures(request):
    """Every constituency's and every governor's figures over the rulebook's period to today."""
    period = Period.ending()
    context = {
        "period": period,
        "constituencies": engagement_by_constituency(period),
        "governors": engagement_by_governor(period),
        "answer_within_days": current_rulebook().engagement.answer_within_days,
    }
    return render(request, "bodies/engagement.html", context)


def report_backs(request):
    reports = ReportBack.objects.select_related("constituency", "tenure__holder", "tenure__seat")
    return render(request, "bodies/report_backs.html", {"reports": reports})


def report_back(request, pk):
    report = get_object_or_404(ReportBack.objects.select_related("constituency", "tenure__holder"), pk=pk)
    questions = list(report.questions.order_by("asked_at"))
    context = {
        "report": report,
        "published_questions": [question for question in questions if question.published],
        "unpublished_count": sum(1 for question in questions if not question.published),
        "decisions": report.decisions.order_by("sequence"),
    }
    return render(request, "bodies/report_back.html", context)


def _representing(request):
    tenures = engagement.representing_tenures(request.user)
    if not tenures.exists():
        raise PermissionDenied("Only a governor representing a constituency may do this.")
    return tenures


@login_required
def report_back_new(request):
    tenures = _representing(request)
    constituencies = [tenure.seat.constituency for tenure in tenures]
    questions = Question.objects.filter(constituency__in=constituencies).order_by("-asked_at")[:TO_LINK]
    form = ReportBackForm(
        request.POST or None,
        tenures=tenures,
        questions=Question.objects.filter(pk__in=[question.pk for question in questions]).order_by("-asked_at"),
        decisions=engagement.decisions_to_report().filter(
            pk__in=list(engagement.decisions_to_report().values_list("pk", flat=True)[:TO_LINK])
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = engagement.publish_report_back(
                data["tenure"],
                title=data["title"],
                raised=data["raised"],
                done=data["done"],
                questions=list(data["questions"]),
                decisions=list(data["decisions"]),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your report back is published.")
            return redirect("bodies:report_back", report.pk)
    return render(request, "bodies/report_back_form.html", {"form": form})


@login_required
def constituency_meeting_new(request):
    tenures = _representing(request)
    colleagues = tenures_on(timezone.localdate()).filter(
        seat__constituency__in=[tenure.seat.constituency for tenure in tenures]
    )
    colleagues = colleagues.exclude(pk__in=tenures).select_related("holder", "seat")
    form = ConstituencyMeetingForm(request.POST or None, tenures=tenures, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement.record_constituency_meeting(
                data["tenure"],
                title=data["title"],
                held_on=data["held_on"],
                members_attending=data["members_attending"],
                governors=list(data["governors"]),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The meeting is recorded.")
            return redirect("bodies:governor", data["tenure"].holder_id)
    return render(request, "bodies/constituency_meeting_form.html", {"form": form})
