import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.services import send_checkpoint, take_checkpoint


class Command(BaseCommand):
    help = (
        "Sign a checkpoint of the governance record's head (sequence, head hash, time, key id), publish it "
        "on the public record page and its feed, and email it to the company secretary and RECORD_AUDITORS. "
        "A daily job. --out FILE also writes it as JSON, for verify_records --checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="FILE", help="Also write the checkpoint here as JSON.")
        parser.add_argument("--no-email", action="store_true", help="Publish it but send no email.")

    def handle(self, *args, out=None, no_email=False, **options):
        checkpoint = take_checkpoint()
        if checkpoint is None:
            raise CommandError("The record is empty: there is nothing to checkpoint yet.", returncode=1)
        document = json.dumps(checkpoint.as_document(), indent=2) + "\n"
        if out:
            Path(out).write_text(document)
        sent_to = [] if no_email else send_checkpoint(checkpoint)
        self.stdout.write(document)
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint at entry #{checkpoint.sequence} published"
                + (f" and emailed to {len(sent_to)} recipient(s)" if sent_to else "")
                + (f"; written to {out}" if out else "")
            )
        )
