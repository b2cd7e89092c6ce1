"""Lapse the written resolutions whose period has ended. Run daily (cron or the scheduler beside
the worker); until it runs, a reply after the period is refused all the same."""

import datetime

from django.core.management.base import BaseCommand

from governance.motions.written import lapse_written_resolutions


class Command(BaseCommand):
    help = "Lapse written resolutions not passed by the end of their period."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="the day to take as today (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        lapsed = lapse_written_resolutions(today)
        self.stdout.write(f"{lapsed} written resolution(s) lapsed.")
