"""A member's personal data: everything we hold about them (subject access), and erasure.

Erasure anonymises the person but keeps what the statutory register must: the membership
number, the constituency and class, and the dates admitted and ceased. The historical rows of
the member and their applications are anonymised too, so history does not keep what was erased.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone

from config.history import with_actor
from membership.census_answers import discard_applicant_answers
from membership.models import Application, CeaseReason, CensusAnswers, Member, Membership
from membership.selectors import current_membership
from membership.services import CONTACT_FIELDS, cease_membership
from records.models import Entry
from records.services import record

ERASED_NAME = "Erased"
# Personal fields of a Member blanked on erasure (membership_number, dates and flags stay).
ERASED_PERSON_FIELDS = {"title": "", **dict.fromkeys(CONTACT_FIELDS, ""), "date_of_birth": None, "user": None}
ERASED_MEMBER_FIELDS = {
    **ERASED_PERSON_FIELDS,
    "first_name": ERASED_NAME,
    "last_name": "member",
    "employee_number": "",
}
ERASED_APPLICATION_FIELDS = {**ERASED_PERSON_FIELDS, "first_name": ERASED_NAME, "last_name": "applicant"}


def _rows(queryset, exclude=()):
    return [model_to_dict(row, exclude=exclude) | {"id": row.pk} for row in queryset]


def _history(queryset):
    return list(queryset.order_by("history_date").values())


def applications_of(member):
    return Application.objects.filter(Q(member=member) | Q(possible_duplicate_of=member))


def subject_access_export(member):
    """Everything held about `member`, as JSON-ready data: their details, memberships,
    applications, the history of each, and the governance record entries about them."""
    memberships = member.memberships.select_related("constituency")
    applications = applications_of(member)
    membership_ids = [str(pk) for pk in memberships.values_list("pk", flat=True)]
    application_ids = [str(pk) for pk in applications.values_list("pk", flat=True)]
    entries = Entry.objects.filter(
        Q(subject_type="membership.member", subject_id=str(member.pk))
        | Q(subject_type="membership.membership", subject_id__in=membership_ids)
        | Q(subject_type="membership.application", subject_id__in=application_ids)
        | Q(payload__member=member.membership_number)
    ).order_by("sequence")
    return {
        "exported_at": timezone.now(),
        "member": model_to_dict(member) | {"id": member.pk, "created_at": member.created_at},
        "census_answers": _rows(CensusAnswers.objects.filter(member=member), exclude=("member",)),
        "memberships": [
            {**row, "constituency_name": membership.constituency.name}
            for row, membership in zip(_rows(memberships), memberships, strict=True)
        ],
        "applications": _rows(applications),
        "history": {
            "member": _history(Member.history.filter(id=member.pk)),
            "memberships": _history(Membership.history.filter(member_id=member.pk)),
            "applications": _history(Application.history.filter(id__in=application_ids)),
        },
        "governance_record": list(
            entries.values("sequence", "recorded_at", "kind", "actor_label", "summary", "payload")
        ),
    }


def subject_access_json(member):
    return json.dumps(subject_access_export(member), cls=DjangoJSONEncoder, indent=2)


@transaction.atomic(durable=True)
def erase_member(member, *, actor):
    """Anonymise `member` and their applications, past and present, ending any current
    membership first (reason: personal data erased), and delete their census answers, as a member
    or given with an application. Locks the member row."""
    # The member's row: an admission or a second erasure at this moment waits, so the membership check holds.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if current_membership(member) is not None:
        cease_membership(member, CeaseReason.ERASED, actor=actor)
    for name, value in ERASED_MEMBER_FIELDS.items():
        setattr(member, name, value)
    member.withheld_from_public_register = True
    with_actor(member, actor).save()
    CensusAnswers.objects.filter(member=member).delete()
    history_fields = {name: value for name, value in ERASED_MEMBER_FIELDS.items() if name != "user"}
    Member.history.filter(id=member.pk).update(**history_fields, user=None)
    applications = applications_of(member).filter(member=member)
    application_ids = list(applications.values_list("pk", flat=True))
    applications.update(**ERASED_APPLICATION_FIELDS)
    discard_applicant_answers(application_ids)
    Application.history.filter(id__in=application_ids).update(**ERASED_APPLICATION_FIELDS)
    record(
        "member.erased",
        f"Personal data of member {member.membership_number} erased; the register keeps their number and dates",
        actor=actor,
        subject=member,
        payload={"member": member.membership_number, "applications": len(application_ids)},
    )
    return member
