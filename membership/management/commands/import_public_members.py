from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.errors import MembershipError
from membership.imports import ImportRefused, import_public_members
from membership.models import LawfulBasis


class Command(BaseCommand):
    help = (
        "Admit public, patient and carer members from a CSV file (e.g. from a previous membership provider). Every "
        "row is checked first, duplicates too: one bad row and nothing is written. See docs/membership-officer.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--lawful-basis",
            choices=LawfulBasis.values,
            help="the lawful basis for holding the details of members whose row gives none (UK GDPR Art.6(1))",
        )
        parser.add_argument("--source", help="where the list came from, kept with each member (default: file name)")
        parser.add_argument("--dry-run", action="store_true", help="say what would change and write nothing")

    def handle(self, *args, file, lawful_basis, source, dry_run, **options):
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            plan = import_public_members(
                file.read_bytes(), lawful_basis=lawful_basis, source=source or file.name, dry_run=dry_run
            )
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(str(refused)) from refused
        except MembershipError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'.") from error
        counts = plan.counts()
        self.stdout.write("Dry run — nothing written. The import would admit:" if dry_run else "Admitted:")
        for name, count in counts["by_constituency"].items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"  {counts['new']} in all, {counts['by_post']} by post")
        if plan.ignored_columns:
            self.stdout.write(f"  columns ignored: {', '.join(plan.ignored_columns)}")
