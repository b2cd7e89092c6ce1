from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.errors import MembershipError
from membership.imports import ImportRefused, import_staff
from membership.models import Constituency, ConstituencyKind, ProposedLeaver


class Command(BaseCommand):
    help = (
        "Import an HR staff file into a staff constituency. Every row is checked first: one bad row and "
        "nothing is written (each is listed by line, field and reason). See docs/membership-officer.md for the columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--constituency", required=True, help="the staff constituency's slug")
        parser.add_argument("--dry-run", action="store_true", help="say what would change and write nothing")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="the file lists only some staff: do not propose those missing from it as leavers",
        )

    def handle(self, *args, file, constituency, dry_run, partial, **options):
        target = Constituency.objects.filter(slug=constituency).first()
        if target is None:
            slugs = ", ".join(Constituency.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"There is no constituency {constituency!r}. The constituencies are: {slugs}.")
        if target.kind != ConstituencyKind.STAFF:
            raise CommandError(f"{target} is not a staff constituency; imports take HR staff files.")
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            plan = import_staff(file.read_bytes(), target, full=not partial, dry_run=dry_run, source=file.name)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(str(refused)) from refused
        except MembershipError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'.") from error
        self.report(plan, dry_run)

    def report(self, plan, dry_run):
        heading = "Dry run — nothing written. The import would make these changes:" if dry_run else "Imported:"
        self.stdout.write(heading)
        for name, count in plan.counts().items():
            self.stdout.write(f"  {name.replace('_', ' ')}: {count}")
        for row, reason in plan.not_eligible[:50]:
            self.stdout.write(f"  line {row.line} ({row.employee_number}) not admitted: {reason}")
        if plan.ignored_columns:
            self.stdout.write(f"  columns ignored: {', '.join(plan.ignored_columns)}")
        if plan.leavers and not dry_run:
            open_count = ProposedLeaver.objects.filter(resolved_at__isnull=True).count()
            self.stdout.write(f"  {open_count} proposed leavers await confirmation in the back office.")
        if not plan.changes_anything:
            self.stdout.write("Nothing changed: the register already matches this file.")
