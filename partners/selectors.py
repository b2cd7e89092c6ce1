from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from config.rulebooks import current as current_rulebook
from partners.models import Enquiry, EnquiryStatus, PartnerOrganisation, Proposal, ProposalStatus
from partners.search import find_partners


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


def search_partners(**filters):
    """Listed entries matching every filter given (see partners.search.find_partners), best first."""
    return find_partners(**filters).all()


def local_connector(places, *, matching, asked_for_need):
    """The first of `places` (localities) with an infrastructure body, when a search by need there found
    fewer than settings.DIRECTORY_FEW_RESULTS organisations; else None."""
    if not asked_for_need or matching >= settings.DIRECTORY_FEW_RESULTS:
        return None
    return next((place for place in places if place.infrastructure_body_id), None)


def pending_proposals():
    return Proposal.objects.filter(status=ProposalStatus.PENDING)


def open_enquiries():
    return Enquiry.objects.filter(status=EnquiryStatus.OPEN)
