"""What the partner directory's record entries are called (records.kinds)."""

from records.kinds import register

register(
    {
        "directory.enquiry_answered": "Directory enquiry answered",
        "directory.imported": "Partner directory imported",
        "directory.register_imported": "Charity Commission register imported",
        "directory.partner_verified": "Partner organisation verified",
        "directory.proposal_accepted": "Partner proposal accepted",
        "directory.proposal_rejected": "Partner proposal rejected",
    }
)
