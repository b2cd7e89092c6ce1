import contextlib
import io
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, OutputWrapper
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

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url", default=None, help="where the site is served (default: the SITE_URL setting); links use it"
        )

    def handle(self, *args, **options):
        # Each step's summary is kept, and the sign-ins come last, so they end what `bash dev run`
        # prints; the trustee kit's file names and Wagtail's page-by-page log are left out.
        said = {step: io.StringIO() for step in STEPS}
        # The demo people are fictional: whatever EMAIL_URL says, nothing seeded is ever mailed,
        # including what each service sends once it commits. There is no transaction around the
        # steps: the services they call are entry points that commit on their own (durable), as
        # from a view. A rerun adds nothing twice because each step first looks for what it made.
        locmem = "django.core.mail.backends.locmem.EmailBackend"
        site_url = (options["site_url"] or settings.SITE_URL).rstrip("/")
        with quiet_logger("wagtail"), contextlib.redirect_stdout(io.StringIO()):
            with override_settings(EMAIL_DELIVERY_BACKEND=locmem, SITE_URL=site_url, WAGTAILADMIN_BASE_URL=site_url):
                for step in STEPS:
                    step(OutputWrapper(said[step]))
        for step in STEPS[1:] + STEPS[:1]:
            self.stdout.write(said[step].getvalue(), ending="")
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Open {site_url}/"))


@contextlib.contextmanager
def quiet_logger(name):
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
