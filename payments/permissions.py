"""Who may do what with payments and shares, as small named predicates over model permissions
(the roles in config/roles.py grant them). Checked server-side by every back-office view."""


def can_see_payments(user):
    return user.has_perm("payments.view_payment")


def can_record_payments(user):
    """Record cash, cheque and bank transfer payments taken by hand."""
    return user.has_perm("payments.add_payment")


def can_see_shares(user):
    return user.has_perm("payments.view_shareholding")


def can_withdraw_shares(user):
    return user.has_perm("payments.change_shareholding")


def can_retry_events(user):
    """Put right what failed at Stripe: retry an event, cancel a leaver's subscription by hand."""
    return user.has_perm("payments.change_stripeevent")


def can_reconcile(user):
    return can_see_payments(user)


def can_chase_fees(user):
    """See who owes the yearly fee and send them reminders."""
    return user.has_perm("payments.add_feereminder")


def can_end_for_non_payment(user):
    return can_chase_fees(user) and user.has_perm("membership.change_membership")
