import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from governance.elections.declaration import count_election
from governance.elections.errors import ElectionError
from governance.elections.models import Election
from governance.elections.sealing import KeyFileError


class Command(BaseCommand):
    help = (
        "Count a closed election with the returning officer's key file. The passphrase is asked for, "
        "or read from the environment variable named by --passphrase-env."
    )

    def add_arguments(self, parser):
        parser.add_argument("election_id", type=int)
        parser.add_argument("--key-file", required=True, help="the key file downloaded when the poll opened")
        parser.add_argument("--passphrase-env", help="name of an environment variable holding the passphrase")
        parser.add_argument("--seed", type=int, help="seed for ties decided by lot (default: a random one, recorded)")

    def handle(self, *args, election_id, key_file, passphrase_env, seed, **options):
        try:
            election = Election.objects.get(pk=election_id)
        except Election.DoesNotExist:
            raise CommandError(f"There is no election {election_id}.") from None
        try:
            with open(key_file, "rb") as handle:
                key = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read the key file {key_file}: {error.strerror}.") from None
        passphrase = os.environ.get(passphrase_env, "") if passphrase_env else getpass.getpass("Passphrase: ")
        try:
            election = count_election(election, key_file=key, passphrase=passphrase, seed=seed)
        except (ElectionError, KeyFileError) as error:
            raise CommandError(str(error)) from None
        result = election.result
        self.stdout.write(
            f"{election}: {result['ballots']} ballots, {result['spoilt']} spoilt, quota {result['quota']}"
        )
        self.stdout.write("Elected, in order: " + ", ".join(result["elected"]))
        self.stdout.write(f"Seed for ties by lot: {election.seed}. Declare the result in the back office.")
