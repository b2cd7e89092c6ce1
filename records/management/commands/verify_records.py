import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.selectors import checkpoint_problem, extension_problem, first_break, head


class Command(BaseCommand):
    help = (
        "Check the governance record: every entry's hash and signature, and, given a checkpoint someone "
        "kept (--checkpoint FILE, as record_checkpoint writes), that the record still extends it. Exits 0 "
        "when all is well; otherwise names the first entry that fails and exits 1. Only entries after the "
        "newest checkpoint someone kept can be cut off unseen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", metavar="FILE", help="A signed checkpoint (JSON) the record must extend.")

    def handle(self, *args, checkpoint=None, **options):
        kept = self._read(checkpoint) if checkpoint else None
        if kept is not None:
            problem = checkpoint_problem(kept)
            if problem:
                raise CommandError(f"The checkpoint {checkpoint} {problem}; it proves nothing.", returncode=1)
        broken = first_break()
        if broken is None and kept is not None:
            broken = extension_problem(kept)
        if broken is not None:
            raise CommandError(f"The record is broken at entry #{broken.sequence}: {broken.reason}.", returncode=1)
        last = head()
        if last is None:
            self.stdout.write("The record is empty.")
            return
        extends = f"; it extends the checkpoint at entry #{kept['sequence']}" if kept else ""
        self.stdout.write(
            self.style.SUCCESS(f"The record is intact: {last.sequence} entries; head {last.hash}{extends}")
        )

    def _read(self, path):
        try:
            document = json.loads(Path(path).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the checkpoint {path}: {error}", returncode=2) from error
        if not isinstance(document, dict):
            raise CommandError(f"The checkpoint {path} is not a JSON object.", returncode=2)
        return document
