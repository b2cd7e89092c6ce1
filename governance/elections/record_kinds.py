"""What elections' record entries are called (records.kinds). Written in services.py and trustees.py."""

from records.kinds import register

register(
    {
        "election.set_up": "Election set up",
        "election.timetable_changed": "Election timetable changed",
        "election.notice_published": "Notice of election published",
        "election.nominations_opened": "Nominations opened",
        "election.nominated": "Nomination received",
        "election.nomination_valid": "Nomination accepted as valid",
        "election.nomination_rejected": "Nomination rejected",
        "election.withdrawn": "Candidate withdrew",
        "election.statement_published": "Statement of nominated candidates published",
        "election.roll_frozen": "Electoral roll frozen",
        "election.postal_credentials_issued": "Postal voting codes issued",
        "election.credential_reissued": "Voting code reissued",
        "election.postbag_opened": "Postbag of returned papers opened for keying",
        "election.postbag_taken_in": "Postbag of returned papers taken in",
        "election.postal_paper_settled": "Returned paper keyed differently, settled by the returning officer",
        "election.postbag_withdrawn": "Postbag withdrawn before it was taken in",
        "election.scrutineer_appointed": "Scrutineer appointed",
        "election.poll_opened": "Poll opened",
        "election.poll_closed": "Poll closed",
        "election.counted": "Votes counted",
        "election.declared": "Result declared",
        "election.declared_uncontested": "Declared elected unopposed",
        "election.trustees_named": "Trustees named",
        "election.trustee_key_round": "Trustee key step completed",
        "election.shuffled": "Ballots shuffled by a trustee",
        "election.partially_decrypted": "Trustee's share of the result decrypted",
    }
)
