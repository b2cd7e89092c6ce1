"""What meetings' record entries are called (records.kinds). Written in governance/meetings/services.py."""

from records.kinds import register

register(
    {
        "meeting.paper_published": "Paper published",
        "meeting.attendance": "Attendance recorded",
        "meeting.cancelled": "Meeting cancelled",
        "meeting.minutes_approved": "Minutes approved",
        "meeting.decision": "Decision of a meeting",
    }
)
