from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from config.rulebooks import current as current_rulebook
from partners.models import Enquiry, EnquiryStatus, PartnerOrganisation, Proposal, ProposalStatus


def verification_cutoff(today=None):
    """Entries last verified before this day are out of date (the rulebook's period)."""
    today = today or timezone.localdate()
    return today - timedelta(days=current_rulebook().directory.verification_period_days)


def is_stale(partner, today=None):
    return partner.last_verified_on is None or partner.last_verified_on < verification_cutoff(today)


def stale_partners(today=None):
    """Entries the directory editors should check again: never verified, or not within the period."""
    cutoff = verification_cutoff(today)
    return PartnerOrganisation.objects.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))


def search_partners(*, q="", interest=None, locality=None, organisation_type=""):
    """Listed entries matching every filter given; `q` matches name, services and registration number."""
    partners = PartnerOrganisation.objects.filter(listed=True)
    if q:
        partners = partners.filter(Q(name__icontains=q) | Q(services__icontains=q) | Q(registration_number__iexact=q))
    if interest is not None:
        partners = partners.filter(areas_of_interest=interest)
    if locality is not None:
        partners = partners.filter(localities=locality)
    if organisation_type:
        partners = partners.filter(organisation_type=organisation_type)
    return partners.prefetch_related("areas_of_interest", "localities").order_by("name")


def pending_proposals():
    return Proposal.objects.filter(status=ProposalStatus.PENDING)


def open_enquiries():
    return Enquiry.objects.filter(status=EnquiryStatus.OPEN)
