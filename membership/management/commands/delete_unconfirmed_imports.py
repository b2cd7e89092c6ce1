"""Delete staff files whose import was previewed but never confirmed, once they are a day old.
Run daily (cron or the scheduler beside the worker)."""

from django.core.management.base import BaseCommand

from membership.import_files import delete_unconfirmed


class Command(BaseCommand):
    help = "Delete staff-import files left by previews that were never confirmed (older than a day)."

    def handle(self, *args, **options):
        self.stdout.write(f"{delete_unconfirmed()} unconfirmed import file(s) deleted.")
