"""Staff imports from HR files, as the NHS Electronic Staff Record (ESR) exports them.

Headings are matched without regard to case, spaces or punctuation, against ESR's names and
the short names of earlier files (docs/membership-officer.md lists them; tests/data/esr_staff.csv
is a sample). ESR writes one row per assignment: rows with one employee number are one person.
That person's class comes from their primary assignment's staff group (the Primary Assignment
column, else the assignment number without a -2, -3 suffix, else the first row), through the
constituency's staff-group mapping (membership.staff_groups); they qualify if any assignment
does under the rulebook (`eligibility.staff_eligibility`: a permanent contract, or 12 months'
contract or service, counting service from their earliest start date). A blank email means
they hear from us by post. Staff who opted out stay out. In a full import, current members of
the constituency missing from the file are proposed as leavers for an officer to confirm;
nobody is removed. Importing the same file twice changes nothing the second time.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from membership.bulk import BATCH_SIZE, Admission, admissions_digest
from membership.imports.csvfile import decode
from membership.imports.staff_rows import UPDATED_FIELDS, read_staff_file
from membership.models import CeaseReason, Member, Membership, ProposedLeaver
from membership.services import admit_members
from records.services import record


@dataclass
class ImportPlan:
    """What an import would do; `import_staff` carries it out."""

    source: str
    file_hash: str
    on: datetime.date
    ignored_columns: list = field(default_factory=list)
    new: list = field(default_factory=list)  # StaffRow
    readmitted: list = field(default_factory=list)  # (member_id, StaffRow)
    class_changes: list = field(default_factory=list)  # (membership_id, member_id, StaffRow)
    detail_updates: list = field(default_factory=list)  # (member_id, StaffRow)
    unchanged: int = 0
    opted_out: list = field(default_factory=list)  # StaffRow
    not_eligible: list = field(default_factory=list)  # (StaffRow, reason)
    in_other_constituency: list = field(default_factory=list)  # StaffRow
    leavers: list = field(default_factory=list)  # member_id
    returned: list = field(default_factory=list)  # member_id of open leaver proposals now back in the file

    @property
    def changes_anything(self):
        return any((self.new, self.readmitted, self.class_changes, self.detail_updates, self.leavers, self.returned))

    def counts(self):
        return {
            "new": len(self.new),
            "readmitted": len(self.readmitted),
            "class_changed": len(self.class_changes),
            "details_updated": len(self.detail_updates),
            "unchanged": self.unchanged,
            "opted_out": len(self.opted_out),
            "not_eligible": len(self.not_eligible),
            "in_other_constituency": len(self.in_other_constituency),
            "proposed_leavers": len(self.leavers),
            "back_in_file": len(self.returned),
            "admitted_by_post": sum(1 for row in self.new if not row.details.get("email")),
        }

    def labelled_counts(self):
        """(label, count) pairs for the preview, in the order of `counts`."""
        return [(COUNT_LABELS[name], count) for name, count in self.counts().items()]


# What the preview calls each count of `ImportPlan.counts`, in the officer's words.
COUNT_LABELS = {
    "new": "New members",
    "readmitted": "Members again (they had left)",
    "class_changed": "Moving to another class",
    "details_updated": "Details updated (name, email, address)",
    "unchanged": "No change",
    "opted_out": "Not admitted: they opted out",
    "not_eligible": "Not admitted: not eligible yet",
    "in_other_constituency": "Not admitted: already in another constituency",
    "proposed_leavers": "Proposed as leavers, for you to confirm",
    "back_in_file": "Back in the file: their leaver proposal is dismissed",
    "admitted_by_post": "Of the new members, contacted by post (no email)",
}


@dataclass
class RegisterState:
    """What the register holds that a staff file is compared with."""

    members: dict  # employee number -> {id, staff_opted_out, UPDATED_FIELDS...}
    current: dict  # member id -> (membership id, constituency id, class)
    open_proposals: set  # member ids


def _register_state(constituency):
    fields = ("id", "employee_number", "staff_opted_out") + UPDATED_FIELDS
    members = {
        values["employee_number"]: values for values in Member.objects.exclude(employee_number="").values(*fields)
    }
    # Only memberships a row could match (by employee number) or a full import could propose as leavers.
    relevant = (
        Membership.objects.filter(ceased_on__isnull=True)
        .filter(Q(constituency=constituency) | ~Q(member__employee_number=""))
        .values_list("id", "member_id", "constituency_id", "member_class")
    )
    current = {
        member_id: (pk, constituency_id, member_class) for pk, member_id, constituency_id, member_class in relevant
    }
    open_proposals = set(
        ProposedLeaver.objects.filter(resolved_at__isnull=True, constituency=constituency).values_list(
            "member_id", flat=True
        )
    )
    return RegisterState(members, current, open_proposals)


def _differs(member_values, row):
    return any(member_values.get(name) != value for name, value in row.details.items())


def _place(plan, row, member, state, constituency):
    """Put one eligible person from the file in the plan, against what the register holds."""
    if member is None:
        plan.new.append(row)
        return
    if member["staff_opted_out"]:
        plan.opted_out.append(row)
        return
    if _differs(member, row):
        plan.detail_updates.append((member["id"], row))
    membership = state.current.get(member["id"])
    if membership is None:
        plan.readmitted.append((member["id"], row))
    elif membership[1] != constituency.pk:
        plan.in_other_constituency.append(row)
    elif membership[2] != row.staff_group:
        plan.class_changes.append((membership[0], member["id"], row))
    elif not _differs(member, row):
        plan.unchanged += 1


def plan_staff_import(rows, constituency, *, on, full, source="", file_hash="", ignored_columns=()):
    """Compare the file's people with the register and say what would change. Reads only."""
    plan = ImportPlan(source=source, file_hash=file_hash, on=on, ignored_columns=list(ignored_columns))
    state = _register_state(constituency)
    in_file, not_eligible = set(), set()
    for row in rows:
        member = state.members.get(row.employee_number)
        if member is not None:
            in_file.add(member["id"])
        reason = row.not_eligible_because(on)
        if reason:
            plan.not_eligible.append((row, reason))
            if member is not None:
                not_eligible.add(member["id"])
            continue
        _place(plan, row, member, state, constituency)
    if full:
        staying = (in_file - not_eligible) | state.open_proposals
        plan.leavers = [
            member_id
            for member_id, (_, constituency_id, _) in state.current.items()
            if constituency_id == constituency.pk and member_id not in staying
        ]
    plan.returned = sorted(state.open_proposals & in_file)
    return plan


def _update_details(plan, user):
    updates = Member.objects.in_bulk([member_id for member_id, _ in plan.detail_updates])
    for member_id, row in plan.detail_updates:
        for name, value in row.details.items():
            setattr(updates[member_id], name, value)
    if updates:
        bulk_update_with_history(
            list(updates.values()), Member, fields=list(UPDATED_FIELDS), batch_size=BATCH_SIZE, default_user=user
        )


def _end_old_classes(plan, user):
    ceasing = Membership.objects.in_bulk([membership_id for membership_id, _, _ in plan.class_changes])
    for membership in ceasing.values():
        membership.ceased_on, membership.cease_reason = plan.on, CeaseReason.TRANSFERRED
    if ceasing:
        bulk_update_with_history(
            list(ceasing.values()),
            Membership,
            fields=["ceased_on", "cease_reason"],
            batch_size=BATCH_SIZE,
            default_user=user,
        )


def _write(plan, constituency, actor):
    user = actor if actor is not None and actor.is_authenticated else None
    _update_details(plan, user)
    _end_old_classes(plan, user)
    source = f"Staff file {plan.source}".strip()[:200]
    admissions = [
        Admission(row.staff_group, details={"employee_number": row.employee_number, "source": source, **row.details})
        for row in plan.new
    ]
    admissions += [Admission(row.staff_group, member_id) for member_id, row in plan.readmitted]
    admissions += [Admission(row.staff_group, member_id) for _, member_id, row in plan.class_changes]
    admitted = admit_members(constituency, admissions, admitted_on=plan.on, actor=actor, record_each=False)
    ProposedLeaver.objects.bulk_create(
        [
            ProposedLeaver(member_id=member_id, constituency=constituency, proposed_on=plan.on, source=plan.source)
            for member_id in plan.leavers
        ],
        batch_size=BATCH_SIZE,
    )
    ProposedLeaver.objects.filter(member_id__in=plan.returned, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), outcome="dismissed"
    )
    return admitted


@transaction.atomic(durable=True)
def import_staff(data, constituency, *, on=None, full=True, dry_run=False, actor=None, source=""):
    """Import the staff file `data` (bytes or text) into the staff `constituency` as at `on`.

    Validates every row first (ImportRefused lists the bad ones; nothing is written), then
    writes every change in this one transaction through `admit_members`, with history and one
    record entry for the import naming every membership it made by their digest, or, with
    `dry_run`, only returns the plan. Holds
    no row locks: the unique constraint on current memberships refuses a concurrent admission.
    """
    on = on or timezone.localdate()
    text, file_hash = decode(data)
    rows, ignored = read_staff_file(text, constituency)
    plan = plan_staff_import(
        rows, constituency, on=on, full=full, source=source, file_hash=file_hash, ignored_columns=ignored
    )
    if dry_run or not plan.changes_anything:
        return plan
    admitted = _write(plan, constituency, actor)
    record(
        "members.imported",
        f"Staff file {source or '(unnamed)'} imported into the {constituency} constituency as at {on:%d %B %Y}: "
        f"{len(plan.new) + len(plan.readmitted)} admitted, {len(plan.class_changes)} changed class, "
        f"{len(plan.leavers)} proposed as leavers",
        actor=actor,
        subject=constituency,
        payload={
            "source": source,
            "sha256": file_hash,
            "on": on.isoformat(),
            "full": full,
            **plan.counts(),
            # One entry for the import, not one per admission: it names the memberships it made by
            # their digest, which anyone can recompute from the register (bulk.admissions_digest).
            "memberships_made": len(admitted),
            "memberships_sha256": admissions_digest(admitted),
        },
    )
    return plan
