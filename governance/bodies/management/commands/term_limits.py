from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from config.rulebooks import current as current_rulebook
from governance.bodies.due import falling_due
from governance.bodies.selectors import term_limit_warnings


class Command(BaseCommand):
    help = (
        "A daily check: office holders nearing the rulebook's limit on total years in office, and everything "
        "overdue or falling due within the rulebook's notice period (Fit and Proper Person attestations, "
        "required training, term ends). Emails the company secretary the list when anything falls due."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-email", action="store_true", help="Print the list without emailing it.")

    def handle(self, *args, no_email=False, **options):
        rules = current_rulebook().office
        warnings = term_limit_warnings(rules=rules)
        if not warnings:
            self.stdout.write(
                f"Nobody reaches the {rules.maximum_years}-year limit within {rules.warn_months_before_limit} months."
            )
        for tenure, limit_day in warnings:
            self.stdout.write(
                self.style.WARNING(
                    f"{tenure.holder.full_name} ({tenure.seat}) reaches {rules.maximum_years} years in office on "
                    f"{limit_day:%d %B %Y}."
                )
            )
        due = falling_due(rules=rules)
        lines = [
            f"{item.holder.full_name} ({item.tenure.seat}): {item.what}, "
            f"{'overdue since' if item.overdue else 'due'} {item.due_on:%d %B %Y}"
            for item in due
        ]
        if not lines:
            self.stdout.write(f"Nothing falls due within {rules.due_notice_days} days.")
            return
        self.stdout.write(f"Overdue or due within {rules.due_notice_days} days:")
        for line in lines:
            self.stdout.write(self.style.WARNING(f"  {line}"))
        if not no_email:
            self._email(lines, rules.due_notice_days)

    def _email(self, lines, days):
        secretaries = get_user_model().objects.filter(groups__name="Company secretary", is_active=True)
        recipients = sorted({user.email for user in secretaries if user.email})
        if not recipients:
            return
        send_mail(
            subject=f"{settings.ORGANISATION_NAME}: {len(lines)} item(s) for office holders due within {days} days",
            message="Overdue or falling due for office holders:\n\n" + "\n".join(f"- {line}" for line in lines) + "\n",
            from_email=None,
            recipient_list=recipients,
        )
