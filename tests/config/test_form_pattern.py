"""Every public and account form, sent empty and with one wrong value, shows the one error pattern:
"Error:" before the title, one summary, at the top of the page above its heading, whose links
name the field and lead to a control on the page, and no aria-describedby, for or href="#…"
that points at nothing."""

import datetime
import re
from types import SimpleNamespace

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from governance.elections.models import State
from governance.motions.services import admit_motion, open_poll, propose_motion, support_motion
from governance.motions.written import circulate_written_resolution
from membership.models import Application
from membership.services import EMAIL_CONFIRMATION_SALT
from tests.factories.elections import ElectionFactory, open_poll_with_candidates
from tests.factories.membership import AreaFactory, ConstituencyFactory, admitted
from tests.factories.motions import general_meeting
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory
from tests.html_checks import dangling_references, error_pattern_problems, parse
from tests.membership.test_public_views import join_form

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def member(make_user):
    """A signed-up member on the register, signed in."""
    user = make_user("member@example.org", password=PASSWORD)
    membership = admitted(on=datetime.date(2024, 1, 1))
    membership.member.user = user
    membership.member.save()
    return membership.member


def _vote_with_code(client, method, ballot):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], method=method)
    first = nominations["Adams"].pk
    data = {"credential": codes[0], **{k.format(first=first, second=nominations["Baker"].pk): v for k, v in ballot}}
    return client.post(reverse("elections:review", args=[election.pk]), data)


def _credential(client, value):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    return client.post(reverse("elections:vote", args=[election.pk]), {"credential": value})


def open_motion_poll(make_user):
    """A member with an account, and a motion whose poll is open to them."""
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    members = [admitted(on=datetime.date(2024, 1, 1)).member for _ in range(6)]
    members[0].user = make_user("voter@example.org", password=PASSWORD)
    members[0].save()
    motion = propose_motion(general_meeting(), members[1], title="Open the garden", text="That the garden opens.")
    for supporter in members[2:] + members[:1]:
        support_motion(motion, supporter)
    admit_motion(motion, actor=secretary)
    open_poll(motion, actor=secretary)
    return members[0], motion


def _motion_vote(client, x, choice):
    member, motion = open_motion_poll(x.make_user)
    client.force_login(member.user)
    return client.post(reverse("motions:vote", args=[motion.pk]), {"choice": choice} if choice else {})


def _written_reply(client, x, agrees):
    x.settings.ORGANISATION_TYPE = "cic"
    secretary = x.make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    resolution = circulate_written_resolution(
        title="Adopt articles", text="That they be adopted.", kind="ordinary", actor=secretary
    )
    return client.post(reverse("motions:written_reply", args=[resolution.pk]), {"agrees": agrees} if agrees else {})


def _nominate(client, member, data):
    election = ElectionFactory(
        state=State.NOMINATIONS_OPEN,
        constituency=member.memberships.get().constituency,
        close_of_poll=timezone.localdate() + datetime.timedelta(days=60),
    )
    return client.post(reverse("elections:nominate", args=[election.pk]), data)


def _open_account(client, data):
    """The password form on the page that confirms the email address someone joined with."""
    AreaFactory(
        name="Northfield", postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield")
    )
    client.post(reverse("membership:join"), join_form())
    token = signing.dumps(Application.objects.get().reference, salt=EMAIL_CONFIRMATION_SALT)
    return client.post(reverse("membership:open_account", args=[token]), data)


def _new_password_from_the_emailed_link(client, member, data):
    """allauth's "set a new password" page, reached by the link its reset email sends."""
    user = member.user
    link = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    page = client.get(link, follow=True)
    return client.post(page.redirect_chain[-1][0] if page.redirect_chain else link, data)


def _written_propose(client, x):
    x.settings.ORGANISATION_TYPE = "cic"
    return client.post(reverse("motions:written_propose"), {})


def _donate(client, x, amount):
    """A member's donation (a co-operative's rulebook takes them), refused before any card payment."""
    x.settings.ORGANISATION_TYPE, x.settings.RULEBOOK_OVERRIDES = "cooperative", {}
    x.settings.STRIPE_SECRET_KEY = "sk_test_commonweal"
    return client.post(reverse("payments:donate"), {"amount": amount} if amount else {})


def _partners(url, data):
    def send(client):
        AreaOfInterestFactory(), LocalityFactory()
        return client.post(reverse(url), data)

    return send


# name: (signed in as a member?, how to send it: (client, x) -> response, x holding the member, settings and make_user)
FORMS = {
    "join, empty": (False, lambda c, x: c.post(reverse("membership:join"), {})),
    "join, a day that is not a number": (
        False,
        lambda c, x: c.post(reverse("membership:join"), {"first_name": "Ann", "dob_day": "x", "accurate": "on"}),
    ),
    "partner proposal, empty": (False, lambda c, x: _partners("partners:propose", {})(c)),
    "partner proposal, a bad email": (False, lambda c, x: _partners("partners:propose", {"email": "no"})(c)),
    "partner enquiry, empty": (False, lambda c, x: _partners("partners:enquire", {})(c)),
    "partner enquiry, a bad email": (False, lambda c, x: _partners("partners:enquire", {"email": "no"})(c)),
    "voting code, empty": (False, lambda c, x: _credential(c, "")),
    "voting code, too short": (False, lambda c, x: _credential(c, "ABCD")),
    "STV ballot, empty": (False, lambda c, x: _vote_with_code(c, "mer2014", [])),
    "STV ballot, one choice twice": (
        False,
        lambda c, x: _vote_with_code(c, "mer2014", [("rank_{first}", "1"), ("rank_{second}", "1")]),
    ),
    "STV ballot, a gap": (False, lambda c, x: _vote_with_code(c, "mer2014", [("rank_{first}", "2")])),
    "FPTP ballot, empty": (False, lambda c, x: _vote_with_code(c, "fptp", [])),
    "FPTP ballot, too many": (
        False,
        lambda c, x: _vote_with_code(c, "fptp", [("choice", "{first}"), ("choice", "{second}")]),
    ),
    "sign in, empty": (False, lambda c, x: c.post(reverse("account_login"), {})),
    "sign in, wrong password": (
        False,
        lambda c, x: c.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong"}),
    ),
    "sign up, empty": (False, lambda c, x: c.post(reverse("account_signup"), {})),
    "sign up, a bad email": (
        False,
        lambda c, x: c.post(reverse("account_signup"), {"email": "no", "password1": PASSWORD, "password2": PASSWORD}),
    ),
    "password reset, empty": (False, lambda c, x: c.post(reverse("account_reset_password"), {})),
    "password reset, a bad email": (False, lambda c, x: c.post(reverse("account_reset_password"), {"email": "no"})),
    "motion vote, empty": (True, lambda c, x: _motion_vote(c, x, None)),
    "motion vote, not a choice": (True, lambda c, x: _motion_vote(c, x, "maybe")),
    "written resolution reply, empty": (True, lambda c, x: _written_reply(c, x, None)),
    "written resolution reply, not a choice": (True, lambda c, x: _written_reply(c, x, "perhaps")),
    "propose a motion, empty": (True, lambda c, x: (general_meeting(), c.post(reverse("motions:propose"), {}))[1]),
    "nomination, empty": (True, lambda c, x: _nominate(c, x.member, {})),
    "nomination, no declaration": (True, lambda c, x: _nominate(c, x.member, {"statement": "I will listen."})),
    "question to governors, empty": (True, lambda c, x: c.post(reverse("bodies:questions"), {})),
    "leave, empty": (True, lambda c, x: c.post(reverse("membership:leave"), {})),
    "change password, empty": (True, lambda c, x: c.post(reverse("account_change_password"), {})),
    "change password, wrong current password": (
        True,
        lambda c, x: c.post(
            reverse("account_change_password"), {"oldpassword": "wrong", "password1": "x", "password2": "y"}
        ),
    ),
    "ask to inspect the register, empty": (False, lambda c, x: c.post(reverse("membership:register"), {})),
    "ask to inspect the register, a bad email": (
        False,
        lambda c, x: c.post(reverse("membership:register"), {"name": "Ann", "email": "no", "purpose": "Research"}),
    ),
    "open an account after joining, empty": (False, lambda c, x: _open_account(c, {})),
    "open an account after joining, passwords differ": (
        False,
        lambda c, x: _open_account(c, {"password1": PASSWORD, "password2": PASSWORD + "x"}),
    ),
    "your details and preferences, empty": (True, lambda c, x: c.post(reverse("membership:details"), {})),
    "your details and preferences, a bad email": (
        True,
        lambda c, x: c.post(
            reverse("membership:details"), {"email": "no", "address_line_1": "1 High St", "postcode": "NF1 1AA"}
        ),
    ),
    "about you, answers without consent": (
        True,
        lambda c, x: c.post(reverse("membership:demographics"), {"sex": "Female"}),
    ),
    "propose a written resolution, empty": (True, lambda c, x: _written_propose(c, x)),
    "set a new password from the emailed link, empty": (
        False,
        lambda c, x: _new_password_from_the_emailed_link(c, x.member, {}),
    ),
    "set a new password from the emailed link, passwords differ": (
        False,
        lambda c, x: _new_password_from_the_emailed_link(c, x.member, {"password1": PASSWORD, "password2": "other"}),
    ),
    "confirm your password (reauthenticate), empty": (True, lambda c, x: c.post(reverse("account_reauthenticate"), {})),
    "donate, empty": (True, lambda c, x: _donate(c, x, None)),
    "donate, below the minimum": (True, lambda c, x: _donate(c, x, "0.20")),
    "add an email address, empty": (True, lambda c, x: c.post(reverse("account_email"), {"action_add": ""})),
    "add an email address, a bad one": (
        True,
        lambda c, x: c.post(reverse("account_email"), {"action_add": "", "email": "no"}),
    ),
}


def as_a_browser(client):
    """A browser always sends the form's CSRF token, so even an "empty" form posts something
    (views test `request.POST or None`); the test client does not check the token."""
    post = client.post
    client.post = lambda path, data=None, **kwargs: post(path, {"csrfmiddlewaretoken": "-", **(data or {})}, **kwargs)


@pytest.mark.parametrize("name", FORMS)
def test_a_failed_form_shows_the_error_pattern(name, client, member, settings, make_user):
    signed_in, send = FORMS[name]
    as_a_browser(client)
    if signed_in:
        client.force_login(member.user)
    response = send(client, SimpleNamespace(member=member, settings=settings, make_user=make_user))
    assert response.status_code == 200, f"{name}: {response.status_code} {getattr(response, 'url', '')}"
    html = response.content.decode()
    assert error_pattern_problems(html) == [], name
    main = html.split("<main", 1)[1]
    assert " required" not in main.replace('"required"', ""), f"{name}: browser validation"
    assert main.count('class="govuk-error-summary"') == 1, f"{name}: one error summary"
    assert main.index('class="govuk-error-summary"') < main.index("<h1"), f"{name}: the summary is above the heading"


def test_the_check_catches_each_fault_it_is_for():
    good = (
        '<title>Error: Join</title><ul class="govuk-error-summary__list"><li><a href="#id_a">Enter your name</a>'
        '</li></ul><p id="id_a_error">Enter your name</p><input id="id_a" aria-describedby="id_a_error">'
    )
    assert error_pattern_problems(good) == []
    assert error_pattern_problems(good.replace("Error: ", ""))
    assert error_pattern_problems(good.replace('id="id_a_error"', 'id="id_a-error"'))
    assert error_pattern_problems(good.replace('href="#id_a"', 'href="#"'))
    assert error_pattern_problems(good.replace(">Enter your name</a>", ">This field is required.</a>"))
    assert dangling_references('<label for="id_b">B</label>') == ['label for="id_b"']


def test_sign_in_and_account_pages_speak_in_sentence_case(client):
    html = client.get(reverse("account_login")).content.decode()
    page = parse(html)
    assert "Sign in" in page.title and "Sign In" not in html
    assert "Remember me" in html and "Remember Me" not in html
    assert "novalidate" in html


REFERENCE = re.compile(r'\s(aria-describedby|aria-labelledby|aria-controls|for|href)="([^"]*)"')
LITERAL_ID = re.compile(r'\sid="([^"{}]*)"')


def test_no_template_points_at_an_id_it_does_not_have():
    """A literal reference in a template (not one built from a variable) names an id the same
    template gives, and no link is a bare href="#"."""
    dangling = []
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        source = template.read_text()
        ids = set(LITERAL_ID.findall(source))
        for attribute, value in REFERENCE.findall(source):
            if attribute == "href" and not value.startswith("#"):
                continue
            literal = re.sub(r"{%.*?%}", " ", value.removeprefix("#") if attribute == "href" else value)
            literal = re.sub(r"{{.*?}}", "{}", literal)
            targets = [t for t in literal.split() if "{" not in t and "}" not in t]
            if attribute == "href" and value == "#":
                targets = [""]
            dangling += [f"{template.name}: {attribute}={value!r}" for t in targets if t not in ids]
    assert dangling == []
