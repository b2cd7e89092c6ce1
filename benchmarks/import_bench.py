"""Measure the two figures issue 5 promises, on a throwaway database, and print JSON.

1. Importing a 100,000-row staff file (validate every row, then write members, memberships,
   their history and a record entry in one transaction): seconds and the process's peak
   memory, against a baseline of bare `bulk_create` of the same members and memberships
   (no validation, no history) measured in the same run.
2. The register as at a date over 1,000,000 membership rows: the count, the first page as
   the back office shows it (ordered by name), and the whole of one constituency's register
   as the CSV export reads it; medians over repeats, against a baseline sequential count of
   the whole table measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_membership .venv/bin/python benchmarks/import_bench.py

Options: --rows (default 100000), --register-rows (default 1000000), --repeats (default 5).
Creates and drops the database `bench_<name>`; the register figures are meant for PostgreSQL.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

STAFF_HEADER = "employee_number,first_name,last_name,email,staff_group,start_date,contract_end_date\n"
TODAY = datetime.date(2025, 6, 1)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def staff_file(rows):
    groups = ("Medical", "Nursing", "Other")
    lines = [STAFF_HEADER]
    for n in range(rows):
        end = "" if n % 4 else "2027-03-31"
        lines.append(
            f"E{n:07d},First{n},Last{n % 5000},person{n}@example.org,{groups[n % 3]},2015-0{1 + n % 9}-01,{end}\n"
        )
    return "".join(lines)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class Rollback(Exception):
    pass


def baseline_bulk_create(rows, constituency):
    from membership.models import Member, Membership

    def run():
        members = Member.objects.bulk_create(
            [Member(membership_number=f"B{n:08d}", first_name="F", last_name="L") for n in range(rows)], batch_size=2000
        )
        Membership.objects.bulk_create(
            [Membership(member=m, constituency=constituency, admitted_on=TODAY) for m in members], batch_size=2000
        )

    try:
        with transaction.atomic():
            seconds, _ = timed(run)
            raise Rollback
    except Rollback:
        return seconds


def measure_import(rows):
    from membership.imports import import_staff
    from membership.models import Constituency, ConstituencyKind, Membership

    staff = Constituency.objects.create(
        slug="staff", name="Staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing", "Other"]
    )
    text = staff_file(rows)
    rss_before = peak_rss_mb()
    seconds, plan = timed(lambda: import_staff(text, staff, on=TODAY, source="bench.csv"))
    peak = peak_rss_mb()  # before the baseline, whose objects would otherwise count here
    again, second = timed(lambda: import_staff(text, staff, on=TODAY, source="bench.csv"))
    baseline = baseline_bulk_create(rows, staff)
    return {
        "rows": rows,
        "admitted": plan.counts()["new"],
        "memberships_written": Membership.objects.count(),
        "import_seconds": round(seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "rss_before_import_mb": round(rss_before, 1),
        "baseline_bulk_create_seconds": round(baseline, 2),
        "ratio_to_baseline": round(seconds / baseline, 2),
        "reimport_seconds": round(again, 2),
        "reimport_changed_anything": second.changes_anything,
        "limits": {"seconds": 60, "peak_rss_mb": 500},
    }


MEMBER_SQL = """
INSERT INTO membership_member (membership_number, title, first_name, last_name, email, phone, address_line_1,
    address_line_2, town, postcode, date_of_birth, employee_number, post_only, large_print, easy_read,
    withheld_from_public_register, staff_opted_out, gender, ethnicity, disability, created_at)
SELECT 'R' || lpad(n::text, 9, '0'), '', 'First' || (n %% 997), 'Last' || (n %% 4999), '', '', n || ' Mill Lane',
    '', 'Northfield', 'NF' || (1 + n %% 9) || ' 1AA', DATE '1940-01-01' + (n %% 25000), '', false, false, false,
    (n %% 20 = 0), false, '', '', '', now()
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
    fill_register(members, rows, constituencies=5)
    constituency = Constituency.objects.get(slug="c0")
    day = datetime.date(2024, 3, 31)

    def count_table():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM membership_membership")
            return cursor.fetchone()[0]

    register = register_as_at(day, constituency)
    return {
        "membership_rows": Membership.objects.count(),
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
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = "bench_" + connection.settings_dict["NAME"].rsplit("/", 1)[-1].replace(".sqlite3", "")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        result = {"database": connection.vendor, "import": measure_import(args.rows)}
        result["register"] = measure_register(args.register_rows, args.repeats)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
