"""Measure what issues 5 and 21 promise, on a throwaway database, and print JSON.

1. Importing staff files as the NHS Electronic Staff Record exports them: 100,000 ESR rows (one
   a assignment; every seventh person also holds a second, bank assignment, so about 87,500
   people), validated, grouped by person, then admitted through `admit_members` (members,
   memberships, their history and one record entry for the import naming them by a digest) in
   one transaction. Then re-importing the same file, which must change nothing.
2. Importing 100,000 public members from a previous provider's file (every row checked against
   the joining rules and, for duplicates, against the register and the rest of the file).
   For both: the median seconds over --repeats runs (each rolled back), the peak Python heap of
   one run (tracemalloc, measured apart from the timed runs), and the ratio to a plain
   `bulk_create` of the same members and memberships (no validation, no history, no record)
   timed in the same run. The process's peak RSS is reported too.
3. The register as at a date over 1,000,000 membership rows: the count, the first page as
   the back office shows it (ordered by name), and the whole of one constituency's register
   as the CSV export reads it; medians over repeats, against a baseline sequential count of
   the whole table measured in the same run (--register-rows 0 skips it).

Every run checks what it stored, before its rollback: rows = admitted = memberships stored, for
the imports and for the baseline; the kept ESR import's record entry names what was stored, and
the re-import changes nothing; the register holds the rows written. A failed check is named on
stderr and the bench exits 1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_membership .venv/bin/python benchmarks/import_bench.py

Options: --rows (default 100000), --register-rows (default 1000000), --repeats (default 3).
Creates and drops the database `bench_<name>`; the figures are meant for PostgreSQL.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stored_checks import verdict  # noqa: E402

ESR_HEADER = (
    "Employee Number,Assignment Number,Title,First Name,Last Name,Date of Birth,Staff Group,Assignment Category,"
    "Primary Assignment,Latest Hire Date,Fixed Term End Date,Email Address,Post Code\n"
)
ESR_GROUPS = (
    "Medical and Dental",
    "Nursing and Midwifery Registered",
    "Additional Clinical Services",
    "Allied Health Professionals",
    "Add Prof Scientific and Technic",
    "Healthcare Scientists",
    "Administrative and Clerical",
    "Estates and Ancillary",
    "Students",
)
PUBLIC_HEADER = "Title,First Name,Last Name,Date of Birth,Address Line 1,Town,Postcode,Email,Date Joined\n"
TODAY = datetime.date(2025, 6, 1)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def esr_file(rows):
    """`rows` ESR rows; every seventh person has a second (bank) assignment listed first."""
    lines, person = [ESR_HEADER], 0
    while len(lines) <= rows:
        number, group = f"{10_000_000 + person}", ESR_GROUPS[person % len(ESR_GROUPS)]
        born, hired = f"{1 + person % 28:02d}/{1 + person % 12:02d}/19{60 + person % 40}", f"01/0{1 + person % 9}/2015"
        end, category = ("", "Permanent") if person % 4 else ("31/03/2027", "Fixed Term Temp")
        email = f"p{person}@example.nhs.uk" if person % 10 else ""
        if person % 7 == 0 and len(lines) < rows:
            other = ESR_GROUPS[(person + 3) % len(ESR_GROUPS)]
            lines.append(
                f"{number},{number}-2,Ms,First{person},Last{person % 5000},{born},{other},Bank,No,{hired},,{email},"
                f"NF1 2AB\n"
            )
        lines.append(
            f"{number},{number},Ms,First{person},Last{person % 5000},{born},{group},{category},Yes,{hired},{end},"
            f"{email},NF1 2AB\n"
        )
        person += 1
    return "".join(lines[: rows + 1]), person


def public_file(rows):
    lines = [PUBLIC_HEADER]
    for n in range(rows):
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=n % 18_000)
        email = f"m{n}@example.org" if n % 3 else ""
        lines.append(
            f"Mx,Given{n % 997},Family{n},{born:%d/%m/%Y},{n} Mill Lane,Northfield,NF{1 + n % 2} {n % 10}AB,"
            f"{email},{(TODAY - datetime.timedelta(days=n % 3000)):%d/%m/%Y}\n"
        )
    return "".join(lines)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class Rollback(Exception):
    pass


def rolled_back(function, stored=lambda: None):
    """Seconds `function` takes inside a transaction that is then rolled back, its result, and
    what `stored()` reads after it (untimed), before the rollback.

    The imports are durable (each is its entry point's whole transaction); this block is marked as
    Django's TestCase marks its own, so they run inside it and all they write is rolled back."""
    block = transaction.atomic()
    block._from_testcase = True
    try:
        with block:
            seconds, result = timed(function)
            kept = stored()
            raise Rollback
    except Rollback:
        return seconds, result, kept


def heap_peak_mb(function):
    """The most Python heap `function` holds at once (its run rolled back; not timed)."""
    tracemalloc.start()
    try:
        rolled_back(function)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def baseline_bulk_create(people, constituency, member_fields):
    """A plain bulk_create of `people` members and their memberships: no validation, no history.
    (seconds, memberships stored)."""
    from membership.models import Member, Membership

    def run():
        members = Member.objects.bulk_create(
            [Member(membership_number=f"B{n:08d}", **member_fields(n)) for n in range(people)], batch_size=2000
        )
        Membership.objects.bulk_create(
            [Membership(member=m, constituency=constituency, admitted_on=TODAY) for m in members], batch_size=2000
        )

    seconds, _, stored = rolled_back(run, lambda: Membership.objects.filter(constituency=constituency).count())
    return seconds, stored


def median(values):
    return round(statistics.median(values), 2)


def measure_esr(rows, repeats):
    from membership.bulk import admissions_digest
    from membership.imports import import_staff
    from membership.models import Constituency, ConstituencyKind, Membership
    from records.models import Entry

    staff = Constituency.objects.create(
        slug="staff", name="Staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing", "Other"]
    )
    text, people = esr_file(rows)

    def run():
        return import_staff(text, staff, on=TODAY, source="esr.csv")

    def member_fields(n):
        return {"first_name": f"First{n}", "last_name": f"Last{n % 5000}", "employee_number": f"{10_000_000 + n}"}

    def memberships():
        return Membership.objects.filter(constituency=staff).count()

    seconds, baselines, checks = [], [], {}
    for n in range(1, repeats + 1):
        seconds_run, plan, stored_run = rolled_back(run, memberships)
        seconds.append(seconds_run)
        checks[f"ESR import, run {n}: people = admitted = memberships stored"] = (
            people == plan.counts()["new"] == stored_run
        )
        baseline_seconds, baseline_stored = baseline_bulk_create(people, staff, member_fields)
        baselines.append(baseline_seconds)
        checks[f"ESR import, run {n}: the baseline stored every person"] = baseline_stored == people
    heap = heap_peak_mb(run)
    first_seconds, plan = timed(run)  # kept, to time the re-import against it
    written = list(Membership.objects.filter(constituency=staff).values_list("pk", flat=True))
    entry = Entry.objects.get(kind="members.imported")
    stored = {"memberships": len(written), "digest": admissions_digest(written)}
    named = {"memberships": entry.payload["memberships_made"], "digest": entry.payload["memberships_sha256"]}
    checks["ESR import kept: people = admitted = memberships stored"] = people == plan.counts()["new"] == len(written)
    checks["ESR import kept: its record entry names what was stored"] = stored == named
    again_seconds, again = timed(run)
    checks["ESR re-import: changes nothing"] = not again.changes_anything and memberships() == len(written)
    return {
        "checks": checks,
        "esr_rows": rows,
        "people": people,
        "admitted": plan.counts()["new"],
        "memberships_written": len(written),
        "record_entries_for_the_import": Entry.objects.filter(kind__in=["members.imported", "member.admitted"]).count(),
        "record_entry_names_them_by_digest": stored == named,
        "import_seconds_median": median(seconds),
        "import_seconds_runs": [round(s, 2) for s in seconds],
        "baseline_bulk_create_seconds_median": median(baselines),
        "ratio_to_baseline": round(statistics.median(seconds) / statistics.median(baselines), 2),
        "ratio_limit": 1.2,
        "peak_python_heap_mb": round(heap, 1),
        "kept_import_seconds": round(first_seconds, 2),
        "reimport_seconds": round(again_seconds, 2),
        "reimport_changed_anything": again.changes_anything,
        "limits": {"seconds": 60, "peak_mb": 500},
    }


def measure_public(rows, repeats):
    from membership.imports import import_public_members
    from membership.models import Area, Constituency, ConstituencyKind, Membership

    public = Constituency.objects.create(slug="public", name="Public", kind=ConstituencyKind.PUBLIC)
    Area.objects.create(name="Northfield", constituency=public, postcode_districts="NF1 NF2")
    text = public_file(rows)

    def run():
        return import_public_members(text, lawful_basis="consent", source="previous provider", on=TODAY)

    def member_fields(n):
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=n % 18_000)
        return {"first_name": f"Given{n % 997}", "last_name": f"Family{n}", "date_of_birth": born}

    def stored():
        return Membership.objects.filter(constituency=public).count()

    seconds, baselines, checks = [], [], {}
    for n in range(1, repeats + 1):
        seconds_run, plan, memberships = rolled_back(run, stored)
        seconds.append(seconds_run)
        baseline_seconds, baseline_stored = baseline_bulk_create(rows, public, member_fields)
        baselines.append(baseline_seconds)
        checks[f"public import, run {n}: rows = admitted = memberships stored"] = (
            rows == plan.counts()["new"] == memberships
        )
        checks[f"public import, run {n}: the baseline stored every row"] = baseline_stored == rows
    return {
        "rows": rows,
        "admitted": plan.counts()["new"],
        "memberships_stored": memberships,
        "checks": checks,
        "import_seconds_median": median(seconds),
        "import_seconds_runs": [round(s, 2) for s in seconds],
        "baseline_bulk_create_seconds_median": median(baselines),
        "ratio_to_baseline": round(statistics.median(seconds) / statistics.median(baselines), 2),
        "peak_python_heap_mb": round(heap_peak_mb(run), 1),
        "limits": {"seconds": 60, "peak_mb": 500},
    }


MEMBER_SQL = """
INSERT INTO membership_member (membership_number, title, first_name, last_name, email, phone, address_line_1,
    address_line_2, town, postcode, date_of_birth, employee_number, post_only, large_print, easy_read,
    withheld_from_public_register, staff_opted_out, gender, ethnicity, disability, created_at, lawful_basis, source)
SELECT 'R' || lpad(n::text, 9, '0'), '', 'First' || (n %% 997), 'Last' || (n %% 4999), '', '', n || ' Mill Lane',
    '', 'Northfield', 'NF' || (1 + n %% 9) || ' 1AA', DATE '1940-01-01' + (n %% 25000), '', false, false, false,
    (n %% 20 = 0), false, '', '', '', now(), '', ''
FROM generate_series(1, %s) AS n
"""


def fill_register(members, memberships, constituencies):
    """`members` people; the first (memberships - members) of them transferred once, so the
    table holds `memberships` rows. Written in SQL: a million ORM saves is not what we measure."""
    from membership.models import Constituency, ConstituencyKind

    ids = [
        Constituency.objects.create(slug=f"c{i}", name=f"Constituency {i}", kind=ConstituencyKind.PUBLIC).pk
        for i in range(constituencies)
    ]
    transferred = memberships - members
    constituency_of = "(ARRAY[" + ",".join(str(pk) for pk in ids) + "])"  # integers we just created
    with connection.cursor() as cursor:
        cursor.execute(MEMBER_SQL, [members])
        cursor.execute("SELECT min(id) FROM membership_member WHERE membership_number LIKE 'R%%'")
        first_id = cursor.fetchone()[0]
        # Everyone's first membership; the first `transferred` of them end 400 days on ...
        cursor.execute(
            f"""
            INSERT INTO membership_membership
                (member_id, constituency_id, member_class, admitted_on, ceased_on, cease_reason)
            SELECT %s + n, {constituency_of}[1 + n %% %s], '', DATE '2005-01-01' + (n %% 6000),
                   CASE WHEN n < %s THEN DATE '2005-01-01' + (n %% 6000) + 400 END,
                   CASE WHEN n < %s THEN 'transferred' ELSE '' END
            FROM generate_series(0, %s - 1) AS n
            """,
            [first_id, constituencies, transferred, transferred, members],
        )
        # ... and those people begin again in the next constituency the same day.
        cursor.execute(
            f"""
            INSERT INTO membership_membership (member_id, constituency_id, member_class, admitted_on, cease_reason)
            SELECT %s + n, {constituency_of}[1 + (n + 1) %% %s], '', DATE '2005-01-01' + (n %% 6000) + 400, ''
            FROM generate_series(0, %s - 1) AS n
            """,
            [first_id, constituencies, transferred],
        )
        cursor.execute("ANALYZE membership_member; ANALYZE membership_membership")
    return ids


def median_seconds(function, repeats):
    function()  # warm the cache: we measure a working server, not a cold disk
    return round(statistics.median(timed(function)[0] for _ in range(repeats)), 3)


def measure_register(rows, repeats):
    from membership.models import Constituency, Membership
    from membership.selectors import register_as_at

    members = int(rows * 0.8)
    filled = fill_register(members, rows, constituencies=5)
    constituency = Constituency.objects.get(slug="c0")
    day = datetime.date(2024, 3, 31)

    def count_table():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM membership_membership")
            return cursor.fetchone()[0]

    register = register_as_at(day, constituency)
    stored = Membership.objects.filter(constituency__in=filled).count()  # not the ESR import kept beside them
    return {
        "checks": {"register: rows written = rows stored": stored == rows},
        "membership_rows": Membership.objects.count(),
        "register_rows_stored": stored,
        "members_on_register": register.count(),
        "count_seconds": median_seconds(register.count, repeats),
        "first_page_seconds": median_seconds(lambda: list(register[:100]), repeats),
        "whole_constituency_export_seconds": median_seconds(
            lambda: sum(
                1 for _ in register.values_list("member__membership_number", "member__last_name").iterator(5000)
            ),
            repeats,
        ),
        "all_constituencies_first_page_seconds": median_seconds(lambda: list(register_as_at(day)[:100]), repeats),
        "baseline_full_table_count_seconds": median_seconds(count_table, repeats),
        "limit_seconds": 2,
        "repeats": repeats,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--register-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=["esr", "public"], help="measure one of the two imports only")
    args = parser.parse_args()

    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = "bench_" + connection.settings_dict["NAME"].rsplit("/", 1)[-1].replace(".sqlite3", "")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        result = {"database": connection.vendor, "repeats": args.repeats}
        if args.only != "esr":
            result["public_import"] = measure_public(args.rows, args.repeats)
        if args.only != "public":
            result["esr_import"] = measure_esr(args.rows, args.repeats)
        result["peak_rss_mb"] = round(peak_rss_mb(), 1)
        if args.register_rows:
            result["register"] = measure_register(args.register_rows, args.repeats)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(result, indent=2))
    checks = {
        name: passed
        for part in result.values()
        if isinstance(part, dict)
        for name, passed in part.get("checks", {}).items()
    }
    return verdict(checks, "what was imported is not what was stored")


if __name__ == "__main__":
    sys.exit(main())
