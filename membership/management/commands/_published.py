"""What the commands that load published files share: open each file, show progress, and name
the file and each bad line when one is refused (nothing of a refused file is loaded)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.census import PublishedFileRefused


class LoadPublishedFile(BaseCommand):
    loader = None  # the membership.census function that loads one file
    noun = "rows"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        for path in files:
            if not path.exists():
                raise CommandError(f"There is no file at {path}.")
            self.stdout.write(f"Reading {path.name}…")
            try:
                with path.open(encoding="utf-8-sig", newline="") as file:
                    count = type(self).loader(file, path.name, progress=self.progress)
            except UnicodeDecodeError as error:
                raise CommandError(f"{path.name} is not UTF-8 text; nothing was loaded.") from error
            except PublishedFileRefused as refused:
                for error in refused.errors:
                    self.stderr.write(f"{path.name}, {error}")
                raise CommandError(str(refused)) from refused
            self.stdout.write(self.style.SUCCESS(f"{path.name}: loaded {count} {self.noun}."))

    def progress(self, lines):
        self.stdout.write(f"  {lines:,} lines checked")
