"""What the register's record entries are called (records.kinds). Written in membership/services.py,
constituencies.py, transfers.py, imports.py, privacy.py and inspection.py."""

from records.kinds import register

register(
    {
        "application.approved": "Application to join approved",
        "application.rejected": "Application to join rejected",
        "application.withdrawn": "Application to join withdrawn",
        "constituency.created": "Constituency set up",
        "constituency.changed": "Constituency changed",
        "membership.plan_target_set": "Membership plan target set",
        "membership.plan_target_removed": "Membership plan target removed",
        "member.admitted": "Member admitted",
        "member.ceased": "Membership ceased",
        "member.transferred": "Member moved to another constituency",
        "member.erased": "Member's personal data erased",
        "members.imported": "Members imported",
        "register.inspection_requested": "Request to inspect the register",
        "register.inspection_granted": "Register inspection granted",
        "register.inspection_refused": "Register inspection refused",
    }
)
