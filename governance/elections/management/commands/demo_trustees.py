from django.core.management.base import BaseCommand, CommandError

from governance.elections import demo
from governance.elections.errors import ElectionError
from governance.elections.models import Election, State


class Command(BaseCommand):
    help = (
        "In a rehearsal election of the demo, play the trustees' part once its poll is closed: every demo "
        "trustee shuffles the box with the trustee kit, then enough of them decrypt. Their keys are in .local/."
    )

    def add_arguments(self, parser):
        parser.add_argument("election", type=int, help="the rehearsal election's number, as in its address")

    def handle(self, *args, **options):
        election = Election.objects.filter(pk=options["election"], rehearsal=True).first()
        if election is None:
            raise CommandError(f"There is no rehearsal election {options['election']}: this is for the demo's only.")
        if election.state != State.POLL_CLOSED:
            raise CommandError(
                f"{election} is {election.get_state_display().lower()}: close its poll first, as the returning "
                "officer, on its back-office page."
            )
        try:
            demo.play_trustees(election)
        except ElectionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"The trustees have shuffled and decrypted {election}. Now verify and count it.")
        )
