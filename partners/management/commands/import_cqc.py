from datetime import date

from django.core.management.base import BaseCommand, CommandError

from partners.cqc import CqcRefused, file_date, import_care_directory


class Command(BaseCommand):
    help = (
        "Bring the directory's regulated services and ratings up to date with the Care Quality Commission's "
        "published care directory with ratings (a CSV in the CQC's own columns). All or nothing; problems are "
        "listed by file and line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CQC's CSV file.")
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            help="The date the file is as at (YYYY-MM-DD); by default a date in its name, else the day it was saved.",
        )

    def handle(self, *args, path, as_at=None, **options):
        try:
            result = import_care_directory(path, as_at=as_at or file_date(path))
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {path}.") from error
        except CqcRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.problems)) from refused
        self.stdout.write(self.style.SUCCESS(f"Care Quality Commission directory: {result}"))
