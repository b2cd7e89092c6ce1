from django.core.management.base import BaseCommand
from django.test import override_settings

from cms import demo as site_demo
from config import demo as accounts_demo
from governance.bodies import demo as bodies_demo
from governance.elections import demo as elections_demo
from governance.meetings import demo as meetings_demo
from governance.motions import demo as motions_demo
from membership import demo as membership_demo
from partners import demo as partners_demo
from payments import demo as payments_demo

# Each capability adds its own step here, in dependency order.
STEPS = [
    accounts_demo.seed,
    membership_demo.seed,
    bodies_demo.seed,
    meetings_demo.seed,
    motions_demo.seed,
    elections_demo.seed,
    payments_demo.seed,
    partners_demo.seed,
    site_demo.seed,
]


class Command(BaseCommand):
    help = "Build a believable fictional organisation to explore. Safe to run again: it changes nothing twice."

    def handle(self, *args, **options):
        # The demo people are fictional: whatever EMAIL_URL says, nothing seeded is ever mailed,
        # including what each service sends once it commits. There is no transaction around the
        # steps: the services they call are entry points that commit on their own (durable), as
        # from a view. A rerun adds nothing twice because each step first looks for what it made.
        locmem = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_DELIVERY_BACKEND=locmem):
            for step in STEPS:
                step(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Open http://127.0.0.1:8000/"))
