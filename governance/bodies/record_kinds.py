"""What the record entries about bodies and office are called (records.kinds). Written in
governance/bodies/services.py and engagement.py."""

from records.kinds import register

register(
    {
        "office.tenure_began": "Took up office",
        "office.tenure_ended": "Left office",
        "office.clerk_appointed": "Clerk appointed",
        "office.clerk_removed": "Clerk removed",
        "office.declared.interest": "Interest declared",
        "office.declared.nil_return": "Annual declaration: no interests",
        "office.declared.fit_and_proper": "Fit and Proper Person attestation",
        "office.declared.training": "Training completed",
        "office.declaration_ended": "Declared interest ended",
        "office.body_created": "Body set up",
        "office.body_changed": "Body changed",
        "office.seat_created": "Seat set up",
        "office.seat_changed": "Seat changed",
        "engagement.message_sent": "Governor's message sent to a constituency",
        "engagement.answer_published": "Answer to a member's question published",
        "engagement.report_back_published": "Governor's report back (you said, we did) published",
        "engagement.constituency_meeting": "Governors' meeting with a constituency's members recorded",
    }
)
