"""What members' motions' and written resolutions' record entries are called (records.kinds). Written in
governance/motions/services.py and written.py."""

from records.kinds import register

register(
    {
        "motion.proposed": "Motion proposed",
        "motion.submitted": "Motion submitted to the company secretary",
        "motion.admitted": "Motion admitted to the agenda",
        "motion.rejected": "Motion not admitted",
        "motion.poll_opened": "Voting on a motion opened",
        "motion.paper_vote": "Paper vote on a motion keyed in",
        "motion.carried": "Motion carried",
        "motion.lost": "Motion not carried",
        "motion.inquorate": "Motion poll not quorate",
        "written_resolution.proposed": "Written resolution proposed",
        "written_resolution.requested": "Members required a written resolution",
        "written_resolution.circulated": "Written resolution circulated",
        "written_resolution.not_circulated": "Written resolution not circulated",
        "written_resolution.paper_reply": "Paper reply to a written resolution keyed in",
        "written_resolution.passed": "Written resolution passed",
        "written_resolution.lapsed": "Written resolution lapsed",
    }
)
