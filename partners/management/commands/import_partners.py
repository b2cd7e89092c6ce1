from django.core.management.base import BaseCommand, CommandError

from partners.spreadsheets import ImportRefused, import_partners


class Command(BaseCommand):
    help = "Import partner organisations from a CSV file: all rows or none; problems are listed by line."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        with open(path, encoding="utf-8-sig", newline="") as file:
            text = file.read()
        try:
            added, updated = import_partners(text)
        except ImportRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.problems)) from refused
        self.stdout.write(self.style.SUCCESS(f"Imported: {added} added, {updated} updated."))
