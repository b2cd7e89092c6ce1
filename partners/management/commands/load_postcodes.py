from django.core.management.base import BaseCommand, CommandError

from partners.postcodes import PostcodeFileError, load_onspd


class Command(BaseCommand):
    help = (
        "Load postcode centroids from a CSV in the ONS Postcode Directory layout (columns pcds, lat, long), "
        "then place every organisation whose postcode it holds. Run again with a newer file to refresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ONSPD CSV (the whole directory, or one area's file).")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as file:
                count = load_onspd(file)
        except (OSError, PostcodeFileError) as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} postcodes."))
