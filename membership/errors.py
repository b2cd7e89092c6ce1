class MembershipError(Exception):
    """A membership change the rules do not allow; the message says why, to a person."""
