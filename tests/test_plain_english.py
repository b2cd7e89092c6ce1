"""Members read the joining, voting and lost-code pages in plain English: a reading age of about
9, that is a Flesch-Kincaid grade of 4 or less (UK reading age is the US grade plus five),
measured with textstat on the words in each page's <main>; and the site's own 403 and 404 pages."""

from html.parser import HTMLParser

import pytest
import textstat
from django.urls import reverse

from governance.elections.belenios import engine
from governance.elections.models import Channel
from governance.elections.voting import cast_ballot
from tests.factories.membership import AreaFactory, ConstituencyFactory
from tests.factories.verifiable import open_verifiable_poll

pytestmark = pytest.mark.django_db

READING_GRADE = 4.0  # reading age 9
# A labelled group of options (an optgroup) is read as a unit of its own, as a list item is.
BLOCKS = {
    *("p", "li", "h1", "h2", "h3", "h4", "label", "legend", "dt", "dd", "div", "span", "button", "a", "td", "th"),
    "optgroup",
}


class _MainText(HTMLParser):
    """The words a reader meets in <main>, one sentence per block (a label or a heading is read as one)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.skip, self.parts, self.current = 0, 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        elif tag in ("script", "style", "code", "pre"):
            self.skip += 1
        if tag in BLOCKS:
            self._end_sentence()

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif tag in ("script", "style", "code", "pre"):
            self.skip -= 1
        if tag in BLOCKS:
            self._end_sentence()

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.current.append(data)

    def _end_sentence(self):
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.parts.append(text if text[-1] in ".?!:" else text + ".")


def main_text(html):
    parser = _MainText()
    parser.feed(html)
    return " ".join(parser.parts)


def grade(html):
    return textstat.flesch_kincaid_grade(main_text(html))


def test_the_join_page_reads_at_a_reading_age_of_about_9(client):
    AreaFactory(name="Northfield Central", postcode_districts="NF1 NF2", constituency=ConstituencyFactory())

    page = client.get(reverse("membership:join")).content.decode()

    assert "postcodes that start with NF1, NF2" in page
    assert grade(page) <= READING_GRADE, main_text(page)


def test_the_lost_code_page_reads_at_a_reading_age_of_about_9(client):
    page = client.get(reverse("elections:lost_code")).content.decode()

    assert grade(page) <= READING_GRADE, main_text(page)


@pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed")
def test_every_page_of_voting_reads_at_a_reading_age_of_about_9(client, tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=2)
    ballot = {"credential": codes[0], f"rank_{nominations['Baker'].pk}": "1", f"rank_{nominations['Adams'].pk}": "2"}
    vote = reverse("elections:vote", args=[election.pk])
    receipt = cast_ballot(election, codes[1], [nominations["Clark"].pk], Channel.INTERNET)
    pages = {
        "about the election": client.get(reverse("elections:detail", args=[election.pk])),
        "code prompt": client.get(vote),
        "wrong code": client.post(vote, {"credential": "abc-def-ghi-jkm-npq"}),
        "ballot paper": client.post(vote, {"credential": codes[0]}),
        "check your vote": client.post(reverse("elections:review", args=[election.pk]), ballot),
        "vote received": client.post(reverse("elections:cast", args=[election.pk]), ballot),
        "check your receipt": client.post(reverse("elections:check_receipt", args=[election.pk]), {"receipt": receipt}),
    }

    grades = {name: grade(response.content.decode()) for name, response in pages.items()}

    assert all(response.status_code == 200 for response in pages.values())
    assert max(grades.values()) <= READING_GRADE, grades


def test_a_missing_page_and_a_refused_one_are_the_sites_own_in_plain_english(client, settings, make_user):
    settings.DEBUG = False
    missing = client.get("/no-such-page/")
    client.force_login(make_user("member@example.org"))
    refused = client.get(reverse("elections_admin:index"))

    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    assert "govuk-header" in missing.content.decode()  # the site's own layout, not Django's bare page
    assert refused.status_code in (302, 403)
    assert grade(missing.content.decode()) <= READING_GRADE
