from django.core.management.base import BaseCommand

from partners.confirmation import confirmation_round_task, run_confirmation_round


class Command(BaseCommand):
    help = (
        "Run this year's directory confirmation round: ask organisations to confirm their entries, remind those "
        "that have not, and take out of search those unconfirmed past the grace period. Queued as a background "
        "task; --now runs it here and prints the summary. Run it daily (cron): a second run in a day sends "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run it in this process and print what it did.")

    def handle(self, *args, now=False, **options):
        if now:
            self.stdout.write(self.style.SUCCESS(str(run_confirmation_round())))
            return
        result = confirmation_round_task.enqueue()
        self.stdout.write(self.style.SUCCESS(f"Queued the confirmation round (task {result.id})."))
