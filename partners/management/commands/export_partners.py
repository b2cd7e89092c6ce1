from django.core.management.base import BaseCommand

from partners.models import PartnerOrganisation
from partners.spreadsheets import write_csv


class Command(BaseCommand):
    help = "Write the partner directory as CSV to standard output (the columns import_partners reads)."

    def handle(self, *args, **options):
        write_csv(PartnerOrganisation.objects.all(), self.stdout)
