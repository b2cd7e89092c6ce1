"""Bringing the directory up to date with the Charity Commission's register, all or nothing.

A charity of ours that the directory lacks becomes an unconfirmed proposal for the directory editors
(nothing public changes until one accepts it). An entry the directory has is updated where the
register changed something since the last import (a first import only fills what the entry lacks, so
an editor's correction stands), and flagged when the register has removed the charity. Running the
same extract again changes nothing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.history import with_actor
from partners.charity_register import REGISTER_FIELDS, read_extract
from partners.models import OrganisationType, PartnerOrganisation, Proposal, ProposalSource, ProposalStatus
from partners.services import entries_changed
from partners.tasks import tell_directory_editors
from records.services import record

CHARITY_TYPES = (OrganisationType.REGISTERED_CHARITY, OrganisationType.CIO)
PROPOSER = "Charity Commission register import"
NO_ACTIVITIES = "The Charity Commission's register gives no activities; ask the charity what it offers."


@dataclass
class RegisterImport:
    proposed: int = 0
    updated: int = 0
    flagged: int = 0
    out_of_scope: int = 0
    warnings: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.proposed or self.updated or self.flagged)

    def __str__(self):
        return (
            f"{self.proposed} new charities proposed to the editors, {self.updated} updated, "
            f"{self.flagged} flagged as removed from the register; {self.out_of_scope} charities not ours."
        )


def _update_entry(partner, charity, result):
    """Apply the register's changes to an entry; True when it was written."""
    snapshot, written = partner.register_data or {}, False
    for name in REGISTER_FIELDS:
        new = charity.details[name]
        take = snapshot.get(name) != new if snapshot else not getattr(partner, name)
        if take and getattr(partner, name) != new:
            setattr(partner, name, new)
            written = True
    if snapshot != charity.details:
        partner.register_data, written = dict(charity.details), True
    flagged = charity.removed and partner.removed_from_register_on is None
    if flagged:
        partner.removed_from_register_on = charity.removed_on or timezone.localdate()
        result.flagged += 1
    elif not charity.removed and partner.removed_from_register_on is not None:
        partner.removed_from_register_on, written = None, True  # registered again
    if written and not flagged:
        result.updated += 1
    return written or flagged


def _proposal_snapshot(charity):
    return {
        **charity.details,
        "interests": sorted(area.name for area in charity.interests),
        "localities": sorted(place.name for place in charity.localities),
    }


def _propose(charity, actor):
    proposal = Proposal(
        source=ProposalSource.CHARITY_REGISTER,
        proposer_name=PROPOSER,
        proposer_email="",
        organisation_type=OrganisationType.CIO if charity.is_cio else OrganisationType.REGISTERED_CHARITY,
        registration_number=charity.number,
        services=charity.details["activities"] or NO_ACTIVITIES,
        register_data=_proposal_snapshot(charity),
        **charity.details,
    )
    proposal.full_clean(exclude=["areas_of_interest", "localities"])
    with_actor(proposal, actor).save()
    proposal.areas_of_interest.set(charity.interests)
    proposal.localities.set(charity.localities)


def _refresh_proposal(proposal, charity, actor):
    """A proposal still waiting takes the register's latest; True when it changed."""
    snapshot = _proposal_snapshot(charity)
    if proposal.register_data == snapshot:
        return False
    if proposal.services in (proposal.activities, NO_ACTIVITIES):
        proposal.services = charity.details["activities"] or NO_ACTIVITIES
    for name in REGISTER_FIELDS:
        setattr(proposal, name, charity.details[name])
    proposal.register_data = snapshot
    with_actor(proposal, actor).save()
    proposal.areas_of_interest.set(charity.interests)
    proposal.localities.set(charity.localities)
    return True


def _report(result, actor):
    record(
        "directory.register_imported",
        f"Imported the Charity Commission register: {result}",
        actor=actor,
        payload={"proposed": result.proposed, "updated": result.updated, "flagged": result.flagged},
    )
    if result.proposed or result.flagged:
        body = (
            f"The Charity Commission register import proposed {result.proposed} new charities and flagged "
            f"{result.flagged} entries whose charity the register has removed.\n\n"
            f"Review them in the back office: {settings.SITE_URL}/admin/directory/proposals/"
        )
        transaction.on_commit(lambda: tell_directory_editors.enqueue("Directory: the register import", body))


@transaction.atomic(durable=True)
def import_charity_register(directory, *, actor=None):
    """Read the extract in `directory` (raising charity_register.RegisterRefused, having written nothing,
    when any row is malformed), then apply it in one transaction. Returns a RegisterImport."""
    # Every charity entry's row: an editor's change during the import would be overwritten unseen.
    entries = {
        partner.registration_number.lstrip("0"): partner
        for partner in PartnerOrganisation.objects.select_for_update().filter(organisation_type__in=CHARITY_TYPES)
        if partner.registration_number.isdigit()
    }
    extract = read_extract(directory, known_numbers=entries.keys())
    result = RegisterImport(out_of_scope=extract.out_of_scope, warnings=extract.warnings)
    proposals = {p.registration_number: p for p in Proposal.objects.filter(source=ProposalSource.CHARITY_REGISTER)}
    written = []
    for charity in extract.charities:
        partner = entries.get(charity.number)
        if partner is not None:
            if _update_entry(partner, charity, result):
                with_actor(partner, actor).save()
                written.append(partner.pk)
        elif not charity.removed:
            proposal = proposals.get(charity.number)
            if proposal is None:
                _propose(charity, actor)
                result.proposed += 1
            elif proposal.status == ProposalStatus.PENDING and _refresh_proposal(proposal, charity, actor):
                result.updated += 1
    entries_changed(written)
    if result.changed:
        _report(result, actor)
    return result
