"""The public registers of governors and directors with their declared interests, and of people
with significant control; and the pages
where governors and members talk: messages to a constituency, questions and answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from config.accounts import require_recent_password
from config.csv_safety import csv_attachment
from config.rulebooks import current as current_rulebook
from governance.bodies import engagement
from governance.bodies.due import due_for
from governance.bodies.engagement_figures import training_status
from governance.bodies.forms import AnswerForm, ConstituencyMessageForm, QuestionForm
from governance.bodies.models import BodyKind, ConstituencyMessage, Question, SignificantControl
from governance.bodies.permissions import is_clerk_of, member_of
from governance.bodies.selectors import past_holders, register_groups


def _register(request, kind, heading):
    """A public register: each holder's seats and remits, interests and training (with what falls
    due, when the rulebook publishes due dates)."""
    groups = register_groups(kind)
    publish_due_dates = current_rulebook().office.publish_due_dates
    for _, rows in groups:
        for row in rows:
            row.training = [(tenure, training_status(tenure)) for tenure in row.tenures]
            if publish_due_dates:
                row.due = [item for tenure in row.tenures for item in due_for(tenure) if _listed_as_due(item)]
    context = {
        "groups": groups,
        "past": past_holders(kind),
        "heading": heading,
        "publish_due_dates": publish_due_dates,
        "is_council": kind == BodyKind.COUNCIL_OF_GOVERNORS,
    }
    return render(request, "bodies/register.html", context)


def _listed_as_due(item):
    """Training is listed with the holder's training; the limit on years in office is not published."""
    return not item.what.startswith(("Reaches", "Training:"))


def governors(request):
    return _register(request, BodyKind.COUNCIL_OF_GOVERNORS, "Register of governors and their interests")


def directors(request):
    return _register(request, BodyKind.BOARD, "Register of directors and their interests")


def significant_control(request):
    """The public register of people with significant control, for a company that keeps one."""
    if not current_rulebook().office.psc_register:
        raise Http404("This organisation does not keep a register of people with significant control.")
    entries = SignificantControl.objects.all()
    return render(
        request,
        "bodies/significant_control.html",
        {"current": [e for e in entries if e.ceased_on is None], "former": [e for e in entries if e.ceased_on]},
    )


@login_required
def message_constituency(request):
    tenures = engagement.representing_tenures(request.user)
    if not tenures.exists():
        raise PermissionDenied("Only a governor representing a constituency may send it messages.")
    form = ConstituencyMessageForm(request.POST or None, tenures=tenures)
    if request.method == "POST" and form.is_valid():
        engagement.send_constituency_message(
            form.cleaned_data["tenure"],
            subject=form.cleaned_data["subject"],
            text=form.cleaned_data["text"],
            actor=request.user,
        )
        messages.success(request, "Your message is on its way. Members who asked for post will get a letter.")
        return redirect("bodies:message")
    reach = [(tenure, engagement.constituency_reach(tenure.seat.constituency)) for tenure in tenures]
    return render(request, "bodies/message_form.html", {"form": form, "reach": reach})


@login_required
def letters(request, pk):
    """The mail-merge file of a message's letters, for a clerk of the council that sent it."""
    message = get_object_or_404(ConstituencyMessage.objects.select_related("tenure__seat__body"), pk=pk)
    if not is_clerk_of(request.user, message.tenure.seat.body):
        raise PermissionDenied("Only a clerk of the governors' body may print letters.")
    require_recent_password(request)
    sender = f"{message.tenure.holder.full_name}, {message.tenure.seat.name}"
    rows = [
        {**letter.member.letter_address(), "subject": message.subject, "message": message.text, "from": sender}
        for letter in message.letters.select_related("member").order_by("member__postcode")
    ]
    return csv_attachment(f"letters-{message.pk}.csv", rows)


def unsubscribe(request, token):
    try:
        member = engagement.member_for_unsubscribe_token(token)
    except ValidationError as error:
        return render(request, "bodies/unsubscribe.html", {"error": error.messages[0]}, status=400)
    if request.method == "POST":
        engagement.unsubscribe(member)
        return render(request, "bodies/unsubscribe.html", {"done": True})
    return render(request, "bodies/unsubscribe.html", {})


def questions(request):
    member = member_of(request.user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if member is None:
            raise PermissionDenied("Sign in as a member to ask a question.")
        if form.is_valid():
            try:
                engagement.ask_question(member, form.cleaned_data["text"], actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your question is with your governors.")
                return redirect("bodies:questions")
    answered = Question.objects.filter(published=True).select_related("constituency", "answered_by")
    represented = [tenure.seat.constituency for tenure in engagement.representing_tenures(request.user)]
    to_answer = Question.objects.filter(constituency__in=represented, answered_at__isnull=True)
    context = {
        "form": form,
        "answered": answered,
        "to_answer": to_answer,
        "can_ask": member is not None,
        "is_representative": bool(represented),
    }
    return render(request, "bodies/questions.html", context)


@login_required
def answer(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if not engagement.representing_tenures(request.user).filter(seat__constituency=question.constituency).exists():
        raise PermissionDenied("Only a governor of this constituency may answer.")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement.answer_question(
                question, form.cleaned_data["answer"], publish=form.cleaned_data["publish"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your answer is saved.")
            return redirect("bodies:questions")
    return render(request, "bodies/answer_form.html", {"form": form, "question": question})
