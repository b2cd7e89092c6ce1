from django.core.management.base import BaseCommand, CommandError

from records.selectors import first_break, head


class Command(BaseCommand):
    help = (
        "Walk the governance record's hash chain. Exits 0 when it is intact; otherwise names the "
        "first entry that does not match and exits 1. Publish the head hash it prints (in the "
        "minutes, say) so that removing the newest entries can be caught too."
    )

    def handle(self, *args, **options):
        broken = first_break()
        if broken is not None:
            raise CommandError(f"The record is broken at entry #{broken.sequence}: {broken.reason}.", returncode=1)
        last = head()
        if last is None:
            self.stdout.write("The record is empty.")
            return
        self.stdout.write(self.style.SUCCESS(f"The record is intact: {last.sequence} entries; head {last.hash}"))
