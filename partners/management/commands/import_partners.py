from django.core.management.base import BaseCommand, CommandError

from partners.charity_register import RegisterRefused
from partners.register_sync import import_charity_register
from partners.spreadsheets import ImportRefused, import_partners


class Command(BaseCommand):
    help = (
        "Import partner organisations from a CSV file, or (--charity-commission DIR) bring the directory up to "
        "date with the Charity Commission register extract in DIR. All or nothing; problems are listed by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="A CSV file in the columns export_partners writes.")
        parser.add_argument(
            "--charity-commission",
            metavar="DIR",
            help="A folder holding the register extract's publicextract.charity.txt (and, when you have them, "
            "publicextract.charity_area_of_operation.txt and publicextract.charity_classification.txt).",
        )

    def handle(self, *args, path=None, charity_commission=None, **options):
        if bool(path) == bool(charity_commission):
            raise CommandError("Give either a CSV file or --charity-commission DIR.")
        if charity_commission:
            return self._register(charity_commission)
        with open(path, encoding="utf-8-sig", newline="") as file:
            text = file.read()
        try:
            added, updated = import_partners(text)
        except ImportRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.problems)) from refused
        self.stdout.write(self.style.SUCCESS(f"Imported: {added} added, {updated} updated."))

    def _register(self, directory):
        try:
            result = import_charity_register(directory)
        except RegisterRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.problems)) from refused
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(f"Charity Commission register: {result}"))
