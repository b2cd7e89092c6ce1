from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.elections import box
from governance.elections.models import Election


class Command(BaseCommand):
    help = (
        "Write a verifiable election's Belenios archive to FILE. Check it with "
        "`belenios-tool election verify --dir DIR` (DIR holding only the file, named <uuid>.bel)."
    )

    def add_arguments(self, parser):
        parser.add_argument("election_id", type=int)
        parser.add_argument("file", help="where to write the archive, e.g. /tmp/check/<uuid>.bel")

    def handle(self, *args, election_id, file, **options):
        election = Election.objects.filter(pk=election_id).select_related("belenios").first()
        if election is None:
            raise CommandError(f"There is no election {election_id}.")
        if not election.box_events.exists():
            raise CommandError(f"{election} has no Belenios archive: it was sealed the earlier way or has not opened.")
        path = Path(file)
        try:
            path.write_bytes(box.archive(election))
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        uuid = election.belenios.uuid
        hint = "" if path.name == f"{uuid}.bel" else f" (belenios-tool wants it named {uuid}.bel)"
        self.stdout.write(f"Wrote the archive of {election} to {path}{hint}.")
