import datetime

from django.core.management.base import BaseCommand, CommandError

from payments import stripe_api
from payments.reconciliation import reconcile


class Command(BaseCommand):
    help = (
        "Compare Stripe's balance transactions with the payments the register records and name every "
        "mismatch. Exits non-zero when there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=datetime.date.fromisoformat, help="Only from this date (YYYY-MM-DD).")

    def handle(self, *args, since=None, **options):
        if not stripe_api.is_configured():
            raise CommandError(
                "Stripe is not set up here (STRIPE_SECRET_KEY is empty), so there is nothing to compare."
            )
        mismatches = reconcile(since)
        for mismatch in mismatches:
            self.stdout.write(str(mismatch))
        if mismatches:
            raise CommandError(f"{len(mismatches)} mismatch(es) between Stripe and the register.")
        self.stdout.write(self.style.SUCCESS("Stripe and the register agree."))
