import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records import signing
from records.keys import current_key_id, published_keys


class Command(BaseCommand):
    help = (
        "The governance record's signing keys. `new --out FILE` writes a new private key (mode 0600) and "
        "prints its id and public key; `published` prints the published public keys with their periods (JSON)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        new = actions.add_parser("new", help="Write a new private key file.")
        new.add_argument("--out", required=True, metavar="FILE")
        actions.add_parser("published", help="Print the published public keys.")

    def handle(self, *args, action, out=None, **options):
        if action == "published":
            keys = [key.as_json() for key in published_keys().values()]
            self.stdout.write(json.dumps({"current": current_key_id(), "keys": keys}, indent=2))
            return
        path = Path(out)
        if path.exists():
            raise CommandError(f"{path} exists already: a key file is never overwritten. Choose another name.")
        seed = signing.new_seed()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(seed + "\n")
        public = signing.public_key_text(signing.load_signing_key(seed))
        self.stdout.write(f"Wrote {path} (readable by its owner only).\nKey id: {signing.key_id(public)}\n")
        self.stdout.write(f"Public key: {public}\n")
