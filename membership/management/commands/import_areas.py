from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.imports import ImportRefused, import_areas


class Command(BaseCommand):
    help = (
        "Create or update the organisation's areas from a CSV file with the columns name, constituency (a public "
        "constituency's slug) and postcode_districts. One bad row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            counts = import_areas(file.read_text(encoding="utf-8-sig"))
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Areas: {counts['created']} created, {counts['updated']} updated.")
