"""Adding many rows at once, each with its history row (ARCHITECTURE.md invariant 4).

On PostgreSQL rows go in with COPY, the fastest way in, with primary keys reserved from the
table's sequence first so the history rows can name them; a 100,000-row staff file would spend
most of a minute in the ORM's per-value work otherwise (benchmarks/import_bench.py).
Elsewhere (SQLite, local development) simple-history's `bulk_create_with_history` does it.
Values must already be Python values of the column's type, as `Model(**values)` would hold.
"""

import datetime
import hashlib
import secrets
import string
from dataclasses import dataclass
from dataclasses import field as default

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from membership.models import Member, Membership
from records.services import Draft

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Admission:
    """One person for `services.admit_members`: an existing member (`member_id`), or a new one
    made from `details` (Member fields), admitted in `member_class`."""

    member_class: str = ""
    member_id: int | None = None
    details: dict = default(default_factory=dict)
    admitted_on: datetime.date | None = None  # when not the day the whole call admits on


def create_with_history(model, rows, *, user=None):
    """Insert one `model` row per dict in `rows` ({attname: value}; other fields take their
    defaults) and a '+' history row for each, acting as `user`. Returns the new primary keys, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = bulk_create_with_history(
            [model(**values) for values in rows], model, batch_size=BATCH_SIZE, default_user=user
        )
        return [obj.pk for obj in objects]
    now = timezone.now()
    ids = _reserve_ids(model, len(rows))
    _copy(model, [{**values, model._meta.pk.attname: pk} for pk, values in zip(ids, rows, strict=True)], now)
    history = model.history.model
    tracked = {field.attname for field in history.tracked_fields}
    _copy(
        history,
        [
            {
                **{name: value for name, value in values.items() if name in tracked},
                model._meta.pk.attname: pk,
                "history_date": now,
                "history_type": "+",
                "history_change_reason": None,
                "history_user_id": user.pk if user is not None else None,
            }
            for pk, values in zip(ids, rows, strict=True)
        ],
        now,
        defaults_from=model,
    )
    return ids


def _reserve_ids(model, count):
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
        return [row[0] for row in cursor.fetchall()]


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def _copy(model, rows, now, defaults_from=None):
    fields = [
        field for field in model._meta.concrete_fields if not (field.primary_key and field.attname not in rows[0])
    ]
    source = defaults_from or model
    defaults = {}
    for field in fields:
        try:
            defaults[field.attname] = _default(source._meta.get_field(field.name), now)
        except FieldDoesNotExist:  # a history-only field (history_*): always given in the row
            defaults[field.attname] = None
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(
                [values[field.attname] if field.attname in values else defaults[field.attname] for field in fields]
            )


def new_membership_numbers(count):
    """`count` random, unguessable membership numbers (not a position on the register) that no
    member has yet, and distinct from each other: the one allocator every admission uses."""
    numbers = set()
    while len(numbers) < count:
        candidates = {
            "M" + "".join(secrets.choice(string.digits) for _ in range(8)) for _ in range(count - len(numbers))
        } - numbers
        drawn = list(candidates)
        for start in range(0, len(drawn), BATCH_SIZE):
            chunk = drawn[start : start + BATCH_SIZE]
            candidates -= set(
                Member.objects.filter(membership_number__in=chunk).values_list("membership_number", flat=True)
            )
        numbers |= candidates
    return list(numbers)


def admission_drafts(constituency, membership_ids, values, number_of):
    """The `member.admitted` record entry of each new membership, as `admit_member` wrote it one by one."""
    for pk, row in zip(membership_ids, values, strict=True):
        number, admitted_on = number_of[row["member_id"]], row["admitted_on"]
        yield Draft(
            f"Member {number} admitted to the {constituency} constituency from {admitted_on:%d %B %Y}",
            Membership._meta.label_lower,
            str(pk),
            f"{number} — {constituency} from {admitted_on}",  # as str(Membership)
            {
                "member": number,
                "constituency": constituency.slug,
                "class": row["member_class"],
                "admitted_on": admitted_on.isoformat(),
            },
        )


def admissions_digest(membership_ids):
    """The SHA-256 (hex) that an import's one record entry names its admissions by: over one line
    `membership number,constituency slug,class,admitted on (ISO)` per membership, sorted, each
    ending in a newline. Anyone can recompute it from the register to check which rows an import made."""
    lines = []
    for start in range(0, len(membership_ids), BATCH_SIZE):
        rows = Membership.objects.filter(pk__in=membership_ids[start : start + BATCH_SIZE]).values_list(
            "member__membership_number", "constituency__slug", "member_class", "admitted_on"
        )
        lines += [f"{number},{slug},{kind},{day.isoformat()}\n" for number, slug, kind, day in rows]
    return hashlib.sha256("".join(sorted(lines)).encode()).hexdigest()
