import datetime

from django.core.management.base import BaseCommand, CommandError

from membership.exports import write_register_csv
from membership.models import Constituency


def iso_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-at {text!r} is not a date; use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write the register of members as at a date, as CSV, to standard output (or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("--as-at", required=True, type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--constituency", help="a constituency's slug; all constituencies when left out")
        parser.add_argument("--format", choices=["csv"], default="csv")
        parser.add_argument("--output", help="a file to write instead of standard output")

    def handle(self, *args, as_at, constituency, output, **options):
        target = None
        if constituency:
            target = Constituency.objects.filter(slug=constituency).first()
            if target is None:
                raise CommandError(f"There is no constituency {constituency!r}.")
        if output:
            with open(output, "w", newline="", encoding="utf-8") as stream:
                count = write_register_csv(stream, as_at, target)
        else:
            self.stdout.ending = ""  # the csv writer ends its own lines
            count = write_register_csv(self.stdout, as_at, target)
        self.stderr.write(f"{count} members on the register as at {as_at:%d %B %Y}.")
