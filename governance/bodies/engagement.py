"""Engagement between governors and the members they represent: messages to a constituency
(delivered by a task, each member by the channel they chose), members' questions with published
answers, meetings with a constituency's members and "you said, we did" reports back. A governor
sees counts and sends; contact details stay with the clerk. The figures are in `engagement_figures`."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from config.history import with_actor
from config.rulebooks import current as current_rulebook
from governance.bodies.models import (
    ConstituencyMeeting,
    ConstituencyMessage,
    Letter,
    MessageOptOut,
    Question,
    ReportBack,
)
from governance.bodies.permissions import member_of
from governance.bodies.selectors import tenures_on
from membership.models import Member, takes_post
from membership.selectors import current_membership, memberships_as_at
from records.models import Entry
from records.services import record

UNSUBSCRIBE_SALT = "governance.bodies.unsubscribe"


def representing_tenures(user, on=None):
    """The user's current elected tenures that represent a constituency."""
    member = member_of(user)
    if member is None:
        return tenures_on(on or timezone.localdate()).none()
    return (
        tenures_on(on or timezone.localdate())
        .filter(holder=member, seat__constituency__isnull=False)
        .select_related("seat", "seat__constituency")
    )


def constituency_reach(constituency, day=None):
    """Counts a governor may see: members, and how many get email, post, or opted out. No names."""
    members = Member.objects.filter(memberships__in=memberships_as_at(day or timezone.localdate(), constituency))
    opted_out = members.filter(message_opt_out__isnull=False)
    reachable = members.filter(message_opt_out__isnull=True)
    by_post = reachable.filter(takes_post())
    return {
        "members": members.count(),
        "by_email": reachable.count() - by_post.count(),
        "by_post": by_post.count(),
        "opted_out": opted_out.count(),
    }


def unsubscribe_token(member):
    return signing.dumps(member.pk, salt=UNSUBSCRIBE_SALT)


def member_for_unsubscribe_token(token):
    """The member a token names, or ValidationError for a token that was altered or mistyped."""
    try:
        return Member.objects.get(pk=signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, Member.DoesNotExist) as error:
        raise ValidationError("This unsubscribe link is not valid. Copy the whole link from the email.") from error


@transaction.atomic(durable=True)
def unsubscribe(member):
    MessageOptOut.objects.get_or_create(member=member)


@transaction.atomic(durable=True)
def send_constituency_message(tenure, *, subject, text, actor):
    """A governor sends a message to their constituency; delivery runs as a task after commit."""
    if tenure not in representing_tenures(actor):
        raise PermissionDenied("Only a governor currently holding this seat may message its constituency.")
    message = ConstituencyMessage(tenure=tenure, constituency=tenure.seat.constituency, subject=subject, text=text)
    with_actor(message, actor).save()
    record(
        "engagement.message_sent",
        f"{tenure.holder.full_name} wrote to the {message.constituency} constituency: {subject}",
        actor=actor,
        subject=message,
        payload={"constituency": message.constituency.slug, "subject": subject},
    )
    transaction.on_commit(lambda: deliver_constituency_message.enqueue(message.pk))
    return message


@task()
def deliver_constituency_message(message_id):
    """Email each member on the constituency's register who has an email and did not ask for post;
    put the others in the clerk's letter batch. Members who unsubscribed get nothing. Safe to
    run twice: a member already sent a letter is not added again."""
    message = ConstituencyMessage.objects.select_related("constituency", "tenure__holder").get(pk=message_id)
    members = Member.objects.filter(
        memberships__in=memberships_as_at(timezone.localdate(), message.constituency), message_opt_out__isnull=True
    )
    emailed = 0
    for member in members:
        if member.takes_post:
            Letter.objects.get_or_create(message=message, member=member)
            continue
        link = settings.SITE_URL + reverse("bodies:unsubscribe", args=[unsubscribe_token(member)])
        send_mail(
            message.subject,
            f"Dear {member.full_name},\n\n{message.text}\n\n{message.tenure.holder.full_name}, "
            f"{message.tenure.seat.name}\n\nTo stop receiving messages from your governors: {link}\n",
            None,
            [member.email],
        )
        emailed += 1
    ConstituencyMessage.objects.filter(pk=message.pk).update(emailed=emailed, delivered_at=timezone.now())


@transaction.atomic(durable=True)
def ask_question(member, text, *, actor=None):
    """A member asks the governors of their own constituency a question."""
    membership = current_membership(member)
    if membership is None:
        raise ValidationError("Only members on the register may ask their governors a question.")
    question = Question(asker=member, constituency=membership.constituency, text=text)
    question.save()
    return question


@transaction.atomic(durable=True)
def answer_question(question, answer, *, publish, actor):
    """A governor for the question's constituency answers, and may publish the answer (never the asker)."""
    tenure = representing_tenures(actor).filter(seat__constituency=question.constituency).first()
    if tenure is None:
        raise PermissionDenied("Only a governor of this constituency may answer.")
    if not answer.strip():
        raise ValidationError("Write an answer before you save it.")
    question.answer, question.answered_by, question.answered_at = answer, tenure.holder, timezone.now()
    question.published = publish
    with_actor(question, actor).save()
    if publish:
        record(
            "engagement.answer_published",
            f"{tenure.holder.full_name} answered a question from the {question.constituency} constituency",
            actor=actor,
            subject=question,
            payload={"question": question.text, "answer": answer},
        )
    return question


def decisions_to_report(rules=None):
    """The decisions a report back may link to: the record's entries of decisions taken by the
    rulebook's bodies (`engagement.decision_body_kinds`, the board by default; Constitution (engagement)),
    newest first."""
    rules = rules or current_rulebook().engagement
    decisions = Entry.objects.filter(kind="meeting.decision", payload__body_kind__in=list(rules.decision_body_kinds))
    return decisions.order_by("-sequence")


@transaction.atomic(durable=True)
def publish_report_back(tenure, *, title, raised, done, questions=(), decisions=(), actor):
    """A governor publishes a "you said, we did" report to their constituency, linked to its members'
    questions and to the board's decisions in the record; the report is itself a record entry."""
    if tenure not in representing_tenures(actor):
        raise PermissionDenied("Only a governor currently holding this seat may report back to its constituency.")
    constituency = tenure.seat.constituency
    if any(question.constituency_id != constituency.pk for question in questions):
        raise ValidationError(f"Link only questions from the {constituency} constituency.")
    allowed = set(decisions_to_report().filter(pk__in=[entry.pk for entry in decisions]).values_list("pk", flat=True))
    if any(entry.pk not in allowed for entry in decisions):
        raise ValidationError("Link only decisions of the board entered in the governance record.")
    report = ReportBack(
        tenure=tenure, constituency=constituency, title=title, raised=raised, done=done, published_at=timezone.now()
    )
    with_actor(report, actor).save()
    report.questions.set(questions)
    report.decisions.set(decisions)
    record(
        "engagement.report_back_published",
        f"{tenure.holder.full_name} reported back to the {constituency} constituency: {title}",
        actor=actor,
        subject=report,
        payload={
            "constituency": constituency.slug,
            "title": title,
            "questions": sorted(question.pk for question in questions),
            "decisions": sorted(entry.sequence for entry in decisions),
        },
    )
    return report


@transaction.atomic(durable=True)
def record_constituency_meeting(tenure, *, title, held_on, members_attending, governors=(), actor):
    """A governor records a meeting held with their constituency's members: when, which of its
    governors were there (the recording governor always), and how many members came."""
    if tenure not in representing_tenures(actor):
        raise PermissionDenied("Only a governor of this constituency may record its meetings.")
    if held_on > timezone.localdate():
        raise ValidationError("Record a meeting once it has been held: the date is in the future.")
    constituency = tenure.seat.constituency
    present = {tenure, *governors}
    if any(other.seat.constituency_id != constituency.pk for other in present):
        raise ValidationError(f"Choose only governors of the {constituency} constituency.")
    meeting = ConstituencyMeeting(
        constituency=constituency, title=title, held_on=held_on, members_attending=members_attending
    )
    with_actor(meeting, actor).save()
    meeting.governors.set(present)
    record(
        "engagement.constituency_meeting",
        f"{title}: {members_attending} members of the {constituency} constituency met "
        f"{', '.join(sorted(other.holder.full_name for other in present))} on {held_on:%d %B %Y}",
        actor=actor,
        subject=meeting,
        payload={
            "constituency": constituency.slug,
            "held_on": held_on.isoformat(),
            "members_attending": members_attending,
            "governors": sorted(other.holder.membership_number for other in present),
        },
    )
    return meeting
