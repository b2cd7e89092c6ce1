"""What the partner directory's record entries are called (records.kinds)."""

from records.kinds import register

register(
    {
        "directory.enquiry_answered": "Directory enquiry answered",
        "directory.enquiry_routed": "Directory enquiry passed to a local infrastructure body",
        "directory.entry_confirmed": "Partner organisation confirmed its entry",
        "directory.entry_updated_by_organisation": "Partner organisation corrected its entry",
        "directory.confirmation_round": "Directory confirmation round run",
        "directory.cqc_imported": "Care Quality Commission directory imported",
        "directory.cqc_services_changed": "Care Quality Commission: an organisation's services or ratings changed",
        "directory.imported": "Partner directory imported",
        "directory.register_imported": "Charity Commission register imported",
        "directory.register_standing": "Charity Commission register: accounts or annual return overdue changed",
        "directory.partner_verified": "Partner organisation verified",
        "directory.proposal_accepted": "Partner proposal accepted",
        "directory.proposal_rejected": "Partner proposal rejected",
    }
)
