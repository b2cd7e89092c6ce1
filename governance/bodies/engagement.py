"""Engagement between governors and the members they represent: messages to a constituency
(delivered by a task, each member by the channel they chose) and members' questions with
published answers. A governor sees counts and sends; contact details stay with the clerk."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from config.history import with_actor
from governance.bodies.models import ConstituencyMessage, Letter, MessageOptOut, Question
from governance.bodies.permissions import member_of
from governance.bodies.selectors import tenures_on
from membership.models import Member, takes_post
from membership.selectors import current_membership, memberships_as_at
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
