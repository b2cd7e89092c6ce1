from django.core.management.base import BaseCommand

from config.rulebooks import current as current_rulebook
from governance.bodies.selectors import term_limit_warnings


class Command(BaseCommand):
    help = "List office holders who will reach the rulebook's limit on total years in office soon, or have."

    def handle(self, *args, **options):
        rules = current_rulebook().office
        warnings = term_limit_warnings(rules=rules)
        if not warnings:
            self.stdout.write(
                f"Nobody reaches the {rules.maximum_years}-year limit within {rules.warn_months_before_limit} months."
            )
            return
        for tenure, limit_day in warnings:
            self.stdout.write(
                self.style.WARNING(
                    f"{tenure.holder.full_name} ({tenure.seat}) reaches {rules.maximum_years} years in office on "
                    f"{limit_day:%d %B %Y}."
                )
            )
