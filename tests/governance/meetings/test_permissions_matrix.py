"""Each page and action × each role → the response they get, as one table.

The board is "this body": the clerk of this body clerks it and the director sits on it. The
governor sits on the council (another body) and the other clerk clerks the council. A
confidential paper is served only to the board's office holders and clerks, by any URL.
"""

import pytest
from django.urls import reverse

from governance.meetings.models import PaperVisibility
from tests.factories.meetings import MeetingFactory, paper

ROLES = [
    "anonymous",
    "member",
    "governor",
    "director",
    "clerk of this body",
    "clerk of another body",
    "company secretary",
]
SIGN_IN = 302  # anonymous visitors are sent to sign in
NO = 403


@pytest.fixture
def board_meeting(people, board):
    clerk = people["clerk of this body"]
    meeting = MeetingFactory(body=board, title="Board meeting in public")
    private_meeting = MeetingFactory(body=board, title="Board seminar", is_public=False)
    papers = {
        visibility: paper(meeting, clerk, visibility=visibility, title=f"{visibility} paper")
        for visibility in PaperVisibility.values
    }
    papers["draft"] = paper(meeting, clerk, visibility=PaperVisibility.PUBLIC, title="Draft", published=False)
    papers["private meeting"] = paper(private_meeting, clerk, visibility=PaperVisibility.PUBLIC, title="Seminar")
    return {"meeting": meeting, "private_meeting": private_meeting, "papers": papers}


def paper_view(key):
    return lambda client, world: client.get(reverse("meetings:paper", args=[world["papers"][key].pk]))


def document_url(key):
    return lambda client, world: client.get(world["papers"][key].document.url)


def meeting_page(key):
    return lambda client, world: client.get(reverse("meetings:meeting", args=[world[key].pk]))


def add_paper_form(client, world):
    return client.get(reverse("meetings:paper_add", args=[world["meeting"].pk]))


def publish_draft(client, world):
    return client.post(reverse("meetings:paper_publish", args=[world["papers"]["draft"].pk]))


def pack(client, world):
    return client.get(reverse("meetings:pack", args=[world["private_meeting"].pk]))


#            anonymous member governor director clerk  other  secretary
MATRIX = {
    "public meeting page": (meeting_page("meeting"), [200, 200, 200, 200, 200, 200, 200]),
    "private meeting page": (meeting_page("private_meeting"), [SIGN_IN, NO, NO, 200, 200, NO, NO]),
    "private meeting pack": (pack, [SIGN_IN, NO, NO, 200, 200, NO, NO]),
    "public paper": (paper_view("public"), [200, 200, 200, 200, 200, 200, 200]),
    "members' paper": (paper_view("members"), [SIGN_IN, 200, 200, 200, 200, NO, NO]),
    "governors' paper": (paper_view("governors"), [SIGN_IN, NO, 200, 200, 200, NO, NO]),
    "confidential paper": (paper_view("body"), [SIGN_IN, NO, NO, 200, 200, NO, NO]),
    "confidential paper, Wagtail URL": (document_url("body"), [SIGN_IN, NO, NO, 200, 200, NO, NO]),
    "governors' paper, Wagtail URL": (document_url("governors"), [SIGN_IN, NO, 200, 200, 200, NO, NO]),
    "draft paper": (paper_view("draft"), [SIGN_IN, NO, NO, NO, 200, NO, NO]),
    "draft paper, Wagtail URL": (document_url("draft"), [SIGN_IN, NO, NO, NO, 200, NO, NO]),
    "paper in a private meeting": (paper_view("private meeting"), [SIGN_IN, NO, NO, 200, 200, NO, NO]),
    "add a paper": (add_paper_form, [SIGN_IN, NO, NO, NO, 200, NO, NO]),
    "publish a draft": (publish_draft, [SIGN_IN, NO, NO, NO, 302, NO, NO]),
}

CASES = [
    pytest.param(action, role, expected[index], id=f"{name} / {role}")
    for name, (action, expected) in MATRIX.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permissions_matrix(client, people, board_meeting, action, role, expected):
    if people[role] is not None:
        client.force_login(people[role])
    response = action(client, board_meeting)
    assert response.status_code == expected
    if expected == SIGN_IN and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
