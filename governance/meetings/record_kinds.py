"""What meetings' record entries are called (records.kinds). Written in governance/meetings/services.py
and scheduling.py."""

from records.kinds import register

register(
    {
        "meeting.called": "Meeting called",
        "meeting.changed": "Meeting's time, place or body changed",
        "meeting.paper_published": "Paper published",
        "meeting.attendance": "Attendance recorded",
        "meeting.cancelled": "Meeting cancelled",
        "meeting.minutes_approved": "Minutes approved",
        "meeting.decision": "Decision of a meeting",
    }
)
