"""Postal packs in the format each elector asked for, made in the background and downloaded once by
the returning officer who asked for them; and voting-code emails in the member's format too."""

import re

import pytest
from django.core import mail
from guardian.shortcuts import assign_perm

from config.pdf import print_format
from governance.elections import printing
from governance.elections.errors import ElectionError
from governance.elections.models import Elector
from governance.elections.paper_models import IssuedPapers, PrintState
from governance.elections.reconciliation import reconciliation
from governance.elections.tasks import email_voting_credential
from governance.elections.voting import elector_for_credential
from tests.factories.elections import open_poll_with_candidates
from tests.factories.membership import MemberFactory
from tests.pdf_checks import assert_accessible_pdf, font_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("ro@example.org", roles=["Returning officer"], mfa=True)


def postal_election(**formats):
    election, _, _, _ = open_poll_with_candidates(["Adams", "Baker"], method="fptp", voters=0)
    people = {}
    for name, flags in formats.items():
        member = MemberFactory(last_name=name, post_only=True, **flags)
        Elector.objects.create(election=election, member=member)
        people[name] = member
    return election, people


def made(election, officer, capture):
    with capture(execute=True):
        batch = printing.request_postal_packs(election, actor=officer)
    batch.refresh_from_db()
    return batch


def test_each_postal_elector_gets_a_readable_pack_in_the_format_they_asked_for(
    officer, django_capture_on_commit_callbacks
):
    election, people = postal_election(Standard={}, Large={"large_print": True}, Easy={"easy_read": True})
    batch = made(election, officer, django_capture_on_commit_callbacks)
    assert batch.state == PrintState.READY and batch.letters_done == batch.letters_total == 3
    files = {f.format: f for f in batch.files.all()}
    assert set(files) == {"standard", "large_print", "easy_read"}
    texts = {}
    for paper_format, print_file in files.items():
        pdf = printing.download_print_file(print_file, officer)
        title = f"{print_file.get_format_display()} postal packs, part 1: {election.title}"
        texts[paper_format] = assert_accessible_pdf(pdf, title=title, language="en-GB")
        body = {size for size in font_sizes(pdf) if size > 10.5}  # the page numbers are set smaller
        assert min(body) >= (16 if paper_format != "standard" else 12)
    easy = texts["easy_read"]
    assert "Easy" in easy and "Put the paper in the envelope." in easy
    # Reading order: who it is for, then how to vote, then the ballot paper and its code.
    assert easy.index(people["Easy"].full_name) < easy.index("This is your voting code") < easy.index("Ballot paper")
    for paper_format, text in texts.items():
        code = re.search(r"Voting code: (\S+)", text).group(1)
        assert elector_for_credential(election, code).member.last_name == {
            "standard": "Standard", "large_print": "Large", "easy_read": "Easy",
        }[paper_format]  # fmt: skip
    assert dict((r[0], r[1]) for r in reconciliation(election)["issued"]) == {
        "Post, easy read": 1,
        "Post, large print": 1,
        "Post, standard": 1,
    }


def test_a_file_of_codes_downloads_once_and_only_for_the_officer_who_asked(
    officer, make_user, django_capture_on_commit_callbacks
):
    election, _ = postal_election(Standard={})
    batch = made(election, officer, django_capture_on_commit_callbacks)
    colleague = make_user("ro2@example.org", roles=["Returning officer"], mfa=True)
    assign_perm("elections.run_election", colleague, election)
    (print_file,) = batch.files.all()
    with pytest.raises(ElectionError, match="Only the returning officer who asked"):
        printing.download_print_file(print_file, colleague)
    assert printing.download_print_file(print_file, officer).startswith(b"%PDF")
    with pytest.raises(ElectionError, match="downloaded already and has been deleted"):
        printing.download_print_file(print_file, officer)
    batch.refresh_from_db()
    assert batch.state == PrintState.DOWNLOADED and batch.files.get().sealed is None


def test_the_codes_in_a_waiting_file_are_not_readable_in_the_database(officer, django_capture_on_commit_callbacks):
    election, _ = postal_election(Standard={})
    batch = made(election, officer, django_capture_on_commit_callbacks)
    stored = bytes(batch.files.get().sealed)
    assert not stored.startswith(b"%PDF") and b"Voting code" not in stored


@pytest.mark.parametrize(
    ("flags", "words", "html_size"),
    [
        ({}, "Your voting code is:", None),
        ({"large_print": True}, "Your voting code is:", "24px"),
        ({"easy_read": True}, "Your vote is secret.", "24px"),
    ],
)
def test_the_voting_code_email_comes_in_the_members_format(flags, words, html_size):
    election, _, _, _ = open_poll_with_candidates(["Adams", "Baker"], voters=0)
    election.state = "nominations_closed"
    election.save(update_fields=["state"])
    member = MemberFactory(**flags)
    elector = Elector.objects.create(election=election, member=member)
    email_voting_credential.enqueue(elector.pk)
    message = mail.outbox[-1]
    assert words in message.body
    assert ("easy-read" in message.body) == bool(flags.get("easy_read"))
    html = [content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"]
    assert (html[0].count(f"font-size: {html_size}") == 1) if html_size else not html
    issued = IssuedPapers.objects.get(election=election)
    assert (issued.channel, issued.format, issued.count) == ("email", print_format(member), 1)
