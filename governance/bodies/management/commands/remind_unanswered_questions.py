from django.core.management.base import BaseCommand

from config.rulebooks import current as current_rulebook
from governance.bodies.reminders import questions_due_a_reminder, send_question_reminders


class Command(BaseCommand):
    help = (
        "A daily check: members' questions still unanswered past the rulebook's answer time "
        "(engagement.answer_within_days). Queues the task that emails the constituency's governors and "
        "the council's clerks, at most once every engagement.reminder_interval_days per question."
    )

    def handle(self, *args, **options):
        rules = current_rulebook().engagement
        waiting = questions_due_a_reminder(rules=rules).count()
        if not waiting:
            self.stdout.write(f"No question has waited more than {rules.answer_within_days} days without a reminder.")
            return
        result = send_question_reminders.enqueue()
        if result.is_finished:
            self.stdout.write(f"Reminded the governors and clerks about {result.return_value} question(s).")
        else:
            self.stdout.write(f"{waiting} question(s) are past their answer time; reminders queued ({result.id}).")
