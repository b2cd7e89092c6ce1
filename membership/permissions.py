"""Who may do what with the register, as small named predicates over model permissions (the
roles in config/roles.py grant them). Checked server-side by every back-office view."""


def can_see_register(user):
    return user.has_perm("membership.view_membership")


def can_import_members(user):
    """Staff files and files of public, patient and carer members."""
    return user.has_perm("membership.add_member") and user.has_perm("membership.add_membership")


def can_decide_applications(user):
    return user.has_perm("membership.change_application")


def can_handle_personal_data(user):
    """Subject-access exports and erasure."""
    return user.has_perm("membership.delete_member")


def can_confirm_leavers(user):
    return user.has_perm("membership.change_proposedleaver") and user.has_perm("membership.change_membership")


def can_see_representativeness(user):
    return user.has_perm("membership.view_censusfigure")


def can_upload_population(user):
    """Load published census and deprivation files."""
    return user.has_perm("membership.add_censusfigure") and user.has_perm("membership.add_deprivation")


def can_see_special_category(user):
    """A member's own census answers (UK GDPR Art.9): the membership office only."""
    return user.has_perm("membership.view_special_category")


def can_answer_inspections(user):
    """Grant or refuse requests to inspect the register of members."""
    return user.has_perm("membership.change_inspectionrequest")


def can_link_accounts(user):
    """Say which member an account is, when its email address belongs to several."""
    return user.has_perm("membership.change_accountreferral") and user.has_perm("membership.change_member")


def can_transfer_members(user):
    """Move a member to another constituency: end one membership and begin another."""
    return user.has_perm("membership.change_membership") and user.has_perm("membership.add_membership")
