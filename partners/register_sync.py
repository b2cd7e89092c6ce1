"""Bringing the directory up to date with the Charity Commission's register, all or nothing.

A charity of ours that the directory lacks becomes an unconfirmed proposal for the directory editors
(nothing public changes until one accepts it). An entry the directory has is updated where the
register changed something since the last import (a first import only fills what the entry lacks, so
an editor's correction stands), and flagged when the register has removed the charity. Its standing
(accounts and annual returns overdue, as at the extract's date) is taken from the annual return
history, and each entry whose standing changed has its own line in the record. Running the same
extract again changes nothing.
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
from records.services import Draft, record, record_many

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
    standing: list = field(default_factory=list)  # (entry, what changed) for each entry whose standing changed

    @property
    def changed(self):
        return bool(self.proposed or self.updated or self.flagged)

    def __str__(self):
        return (
            f"{self.proposed} new charities proposed to the editors, {self.updated} updated, "
            f"{self.flagged} flagged as removed from the register, {len(self.standing)} whose accounts or "
            f"returns overdue changed; {self.out_of_scope} charities not ours."
        )


def _day(value):
    return value.strftime("%-d %B %Y") if value else None


def _update_standing(partner, charity, as_at, result):
    """Take the register's accounts and returns overdue; True when anything (or the date it is as at) changed."""
    if charity.overdue is None:
        return False
    new = {"accounts_overdue_since": charity.overdue["accounts"], "return_overdue_since": charity.overdue["return"]}
    changes = []
    for name, value in new.items():
        if getattr(partner, name) != value:
            what = name.split("_")[0].replace("return", "annual return")
            was = _day(getattr(partner, name))
            changes.append(f"{what} overdue since {_day(value)}" if value else f"{what} no longer overdue (was {was})")
            setattr(partner, name, value)
    if changes:
        result.standing.append((partner, "; ".join(changes)))
    written = bool(changes) or partner.charity_register_as_at != as_at
    partner.charity_register_as_at = as_at
    return written


def _update_entry(partner, charity, as_at, result):
    """Apply the register's changes to an entry; True when it was written."""
    snapshot, written = partner.register_data or {}, _update_standing(partner, charity, as_at, result)
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


def _report(result, as_at, actor):
    record(
        "directory.register_imported",
        f"Imported the Charity Commission register: {result}",
        actor=actor,
        payload={"proposed": result.proposed, "updated": result.updated, "flagged": result.flagged},
    )
    as_at = _day(as_at)
    record_many(
        "directory.register_standing",
        [
            Draft(
                f"Charity Commission register as at {as_at}: {partner} — {change}.",
                "partners.partnerorganisation",
                str(partner.pk),
                str(partner),
                {"as_at": as_at, "change": change},
            )
            for partner, change in result.standing
        ],
        actor=actor,
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
            if _update_entry(partner, charity, extract.as_at, result):
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
    if result.changed or result.standing:
        _report(result, extract.as_at, actor)
    return result
