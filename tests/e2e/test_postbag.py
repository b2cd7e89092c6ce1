"""The post, by browser: two operators key a postbag by keyboard alone (a scanner types the code
and its Enter), the returning officer settles the paper they read differently, and the page
reconciles the papers; large-print and easy-read voters get their format by post and by email."""

import datetime
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.elections import postbag
from governance.elections.models import Channel, Elector
from governance.elections.paper_keying import barcode_payload
from governance.elections.paper_models import Outcome
from governance.elections.tasks import email_voting_credential
from governance.elections.voting import cast_ballot
from tests.e2e.steps import sign_in
from tests.factories.elections import open_poll_with_candidates
from tests.factories.membership import MemberFactory
from tests.pdf_checks import assert_accessible_pdf, font_sizes


def key_paper(page, position, marks, code, condition=None):
    """As an operator does: the marks, Tab by Tab, the paper's state if not as marked, then the
    scanner types the barcode and presses Enter."""
    page.wait_for_selector(f"h1:has-text('Paper {position} of')")
    for mark in marks:
        page.keyboard.press("Control+A")  # replaces what a refused keying left in the box
        page.keyboard.type(mark)
        page.keyboard.press("Tab")
    if condition:
        page.keyboard.type(condition)  # a select jumps to the option that starts with what is typed
    page.keyboard.press("Tab")
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_a_postbag_keyed_twice_is_settled_refused_where_it_must_be_and_reconciled(page, make_user, assert_accessible):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=4)
    cast_ballot(election, codes[2], [nominations["Baker"].pk], Channel.INTERNET)
    officer = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    assign_perm("elections.run_election", officer, election)
    first, second = (make_user(f"op{n}@example.org", roles=["Postal operator"], mfa=True) for n in (1, 2))
    received = timezone.now() - datetime.timedelta(minutes=10)
    batch = postbag.open_postbag(
        election, label="Morning post", papers=4, received_at=received, operators=[first.email, second.email]
    )
    bag = [  # (marks for Adams, Baker), code as scanned, state
        (("1", ""), barcode_payload(election, codes[0]), None),
        (("", "1"), barcode_payload(election, codes[1]), None),
        (("1", ""), barcode_payload(election, codes[2]), None),
        (("", "1"), barcode_payload(election, codes[3]), "D"),  # date-stamped after the close
    ]

    sign_in(page, first.email)
    page.goto(f"/elections/postbags/{batch.pk}/")
    assert_accessible(page)
    key_paper(page, 1, *bag[0][:2])
    key_paper(page, 2, ("", "1"), bag[0][1])  # scans paper 1's code again by mistake
    page.wait_for_selector("text=You keyed this code already, as paper 1")
    assert_accessible(page)
    page.keyboard.press("Tab")  # from the error summary, which has the focus, to the paper's first mark
    assert page.evaluate("document.activeElement.id") == f"mark-{nominations['Adams'].pk}"
    for position, (marks, code, condition) in enumerate(bag[1:], start=2):
        key_paper(page, position, marks, code, condition)
    page.wait_for_selector("text=You have keyed every paper of this bag")

    sign_in(page, second.email)
    page.goto(f"/elections/postbags/{batch.pk}/")
    for position, (marks, code, condition) in enumerate(bag, start=1):
        misread = ("1", "") if position == 2 else marks
        key_paper(page, position, misread, code, condition)
    # This last paper completes the bag: the same request takes it in (casting each agreed paper).
    page.wait_for_selector("text=You have keyed every paper of this bag", timeout=90_000)

    sign_in(page, officer.email)
    page.goto(f"/admin/elections/{election.pk}/postbags/{batch.pk}/")
    page.wait_for_selector("text=Paper 2")
    page.get_by_role("button", name="The first operator's keying is right").click()
    page.wait_for_selector("text=No paper is waiting to be settled.")
    page.goto(f"/admin/elections/{election.pk}/")
    summary = page.locator("#reconciliation + table").inner_text()
    assert "Postal papers returned\t4" in summary and "Accepted\t2" in summary
    assert "1 received after the close of poll" in summary and "1 the elector had already voted" in summary
    assert "1 internet; 2 post" in summary
    outcomes = dict(batch.returned.values_list("position", "outcome"))
    assert outcomes == {1: Outcome.ACCEPTED, 2: Outcome.ACCEPTED, 3: Outcome.DUPLICATE, 4: Outcome.LATE}


def test_large_print_and_easy_read_voters_get_their_format_by_post_and_by_email(page, make_user, assert_accessible):
    election, _, _, _ = open_poll_with_candidates(["Adams", "Baker"], voters=0)
    for flags in ({"large_print": True}, {"easy_read": True}):
        Elector.objects.create(election=election, member=MemberFactory(post_only=True, **flags))
        emailed = Elector.objects.create(election=election, member=MemberFactory(**flags))
        email_voting_credential.enqueue(emailed.pk)
    large, easy = mail.outbox[-2:]
    assert "font-size: 24px" in large.alternatives[0][0] and "Your voting code is:" in large.body
    assert "Your vote is secret." in easy.body and "easy-read" in easy.body
    officer = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    assign_perm("elections.run_election", officer, election)

    sign_in(page, officer.email)
    page.goto(f"/admin/elections/{election.pk}/")
    page.get_by_role("button", name="Make postal packs").click()
    page.wait_for_selector("text=Ready to download")
    for label, words in (("Large print, part 1", "Your voting code:"), ("Easy read, part 1", "Put the paper in")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        pdf = open(download.value.path(), "rb").read()
        text = assert_accessible_pdf(pdf, title=f"{label.split(',')[0]} postal packs, part 1: {election.title}",
                                     language="en-GB")  # fmt: skip
        assert words in text and min(s for s in font_sizes(pdf) if s > 10.5) >= 16

    easy_read_url = easy.body.split("There is an easy-read page with pictures: ")[1].split()[0]
    page.goto(urlsplit(easy_read_url).path)
    page.wait_for_selector("img[alt='A post box']")
    assert_accessible(page)
