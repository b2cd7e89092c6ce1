"""A person's own answers to the census questions: special category data (UK GDPR Art.9), held
only with their explicit consent (Art.9(2)(a)), dated when first given, and read only by them
and the membership office (`permissions.can_see_special_category`).

A member gives them on their details page (`record_census_answers`); an applicant on the join
form, where they wait beside the application (`keep_applicant_answers`) until it is decided:
approval moves them onto the member with the date of consent (`move_applicant_answers`);
rejection, withdrawal or erasure deletes them (`discard_applicant_answers`). No record entry is
written: the answers are no governance decision, and the record cannot be erased.
"""

from django.db import transaction
from django.utils import timezone

from membership.errors import MembershipError
from membership.models import ApplicantCensusAnswers, CensusAnswers

NO_CONSENT = "Tick the box to agree to us keeping your answers about you, or leave those questions unanswered"


def _answers(answers, caller):
    unknown = set(answers) - set(CensusAnswers.TOPICS)
    if unknown:
        raise TypeError(f"{caller}() does not take {', '.join(sorted(unknown))}")
    return {topic: answers.get(topic) or "" for topic in CensusAnswers.TOPICS}


@transaction.atomic(durable=True)
def record_census_answers(member, *, consent, actor=None, **answers):
    """Keep the member's own answers to the census questions (CensusAnswers.TOPICS) only with their
    explicit consent, dated when first given; without it, or with nothing answered, none is kept.
    Returns the answers kept, or None."""
    answers = _answers(answers, "record_census_answers")
    if not consent or not any(answers.values()):
        CensusAnswers.objects.filter(member=member).delete()
        return None
    kept, _ = CensusAnswers.objects.update_or_create(
        member=member, defaults=answers, create_defaults={**answers, "consented_on": timezone.localdate()}
    )
    return kept


@transaction.atomic
def keep_applicant_answers(application, *, consent, answers):
    """Keep what the applicant answered on the join form, dated today, within the transaction that
    takes the application (`services.apply`). Answers without consent are refused with a
    MembershipError, so the application is not taken either. Returns the answers kept, or None."""
    answers = _answers(answers, "keep_applicant_answers")
    if not any(answers.values()):
        return None
    if not consent:
        raise MembershipError(NO_CONSENT)
    return ApplicantCensusAnswers.objects.create(application=application, consented_on=timezone.localdate(), **answers)


@transaction.atomic
def move_applicant_answers(application, member):
    """On approval: the applicant's answers become the member's (replacing any the member gave
    before), with the date they consented on the join form. The caller holds the application's
    row lock. Returns the member's answers, or None if the applicant gave none."""
    given = ApplicantCensusAnswers.objects.filter(application=application).first()
    if given is None:
        return None
    kept, _ = CensusAnswers.objects.update_or_create(
        member=member, defaults={**given.answers(), "consented_on": given.consented_on}
    )
    given.delete()
    return kept


def discard_applicant_answers(application_ids):
    """Delete the answers given with these applications (rejected, withdrawn or erased)."""
    ApplicantCensusAnswers.objects.filter(application_id__in=application_ids).delete()
