NOT_RECEIVED = (
    "Your vote has not been received: something went wrong on our side before it was stored, so nothing has "
    "been recorded. Please send it again; your voting code still works."
)


class ElectionError(Exception):
    """A step the rules or the timetable do not allow now; the message says why and what to do."""


class InvalidBallot(ElectionError):
    """Choices that do not make a valid ballot paper; the message says what to change."""


class AlreadyVoted(ElectionError):
    """The elector's first vote has been received; this later one is refused and counted."""


class UnknownCredential(ElectionError):
    """A credential that matches nobody on the roll (mistyped, or replaced by a reissue)."""
