"""Someone holding a leaked staff password, and no second factor, reaches nothing a member cannot.

Every URL pattern of the site is made concrete with the ids of the demo organisation's real rows,
then asked for as the demo member and as each demo holder of a role that reaches more than a
member's (none of whom has set up two factors)."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from config.demo import demo_email
from config.roles import STAFF_ROLES
from governance.bodies.models import Body, ConstituencyMessage, Question
from governance.elections.models import Election
from governance.meetings.models import AgendaItem, Meeting, Paper
from governance.motions.models import Motion, WrittenResolution
from membership.models import Application, Member
from partners.models import PartnerOrganisation
from payments.models import Subscription

pytestmark = pytest.mark.django_db

# Directors read the board's confidential papers: they use two factors as staff do.
ROLES_NEEDING_TWO_FACTORS = sorted(STAFF_ROLES | {"Director"})

# Patterns written as regular expressions, made concrete by hand.
BY_HAND = {
    r"admin/^.*/$": lambda ids: "admin/no-such-screen/",
    r"documents/^(\d+)/(.*)$": lambda ids: f"documents/{ids['document']}/{ids['document_filename']}",
    r"^((?:[\w\-]+/)*)$": lambda ids: "",
    r"^media/(?P<path>.*)$": lambda ids: f"media/{ids['document_file']}",
}

# Which row an id in a path stands for, by the path's beginning (longest first).
ROW_BY_PREFIX = [
    ("meetings/papers/", "paper"),
    ("meetings/", "meeting"),
    ("elections/", "election"),
    ("motions/written/", "written"),
    ("motions/", "motion"),
    ("governance/messages/", "message"),
    ("governance/questions/", "question"),
    ("payments/subscription/", "subscription"),
    ("admin/meeting_admin/", "meeting"),
    ("admin/agenda_item_admin/", "agenda_item"),
    ("admin/documents/", "document"),
    ("admin/elections/", "election"),
    ("admin/motion_admin/", "motion"),
    ("admin/written_resolution_admin/", "written"),
    ("admin/membership_members/", "member"),
    ("admin/membership_applications/", "application"),
    ("admin/body_admin/", "body"),
    ("admin/constituency_message_admin/", "message"),
    ("admin/question_admin/", "question"),
    ("admin/directory/", "partner"),
]


def real_ids():
    first = {
        "paper": Paper,
        "meeting": Meeting,
        "agenda_item": AgendaItem,
        "election": Election,
        "written": WrittenResolution,
        "motion": Motion,
        "message": ConstituencyMessage,
        "question": Question,
        "subscription": Subscription,
        "member": Member,
        "application": Application,
        "body": Body,
        "partner": PartnerOrganisation,
    }
    ids = {name: getattr(model.objects.order_by("pk").first(), "pk", 1) for name, model in first.items()}
    a_paper = Paper.objects.select_related("document").order_by("pk").first()
    ids["document"] = a_paper.document.pk
    ids["document_filename"] = a_paper.document.filename
    ids["document_file"] = a_paper.document.file.name
    ids["reference"] = getattr(Application.objects.order_by("pk").first(), "reference", "A1")
    ids["slug"] = PartnerOrganisation.objects.order_by("pk").first().slug
    return ids


def patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def value_for(name, converter, row, ids):
    if name in ("reference", "slug"):
        return str(ids[name])
    if name in ("pk", "document_id", "doc_id", "object_id"):
        return str(ids[row]) if row else "1"
    if name.startswith("revision_id_"):
        return "earliest" if name.endswith("a") else "latest"
    return "1" if converter == "int" else "x"


def concrete(pattern, ids):
    """The pattern as a path, each parameter given a real row's id (or a plausible value)."""
    if pattern in BY_HAND:
        return "/" + BY_HAND[pattern](ids)
    row = next((name for start, name in ROW_BY_PREFIX if pattern.startswith(start)), None)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", lambda m: value_for(m["name"], None, row, ids), pattern)
    path = re.sub(
        r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>",
        lambda m: value_for(m["name"], m["converter"], row, ids),
        path,
    )
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    assert not re.search(r"[()\\*+?\[\]]", path), f"Make {pattern!r} concrete by hand in BY_HAND."
    return "/" + path


def served(response):
    """A page of its own (not a redirect to sign in or to set up two factors, not a refusal)."""
    return response.status_code == 200


def test_no_role_without_a_second_factor_is_served_anything_a_member_is_not(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    ids = real_ids()
    paths = sorted({concrete(pattern, ids) for pattern in patterns()})
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    member = Client(raise_request_exception=False)
    staff = {}
    for role in ROLES_NEEDING_TWO_FACTORS:
        client = Client(raise_request_exception=False)
        client.force_login(users.get(email=demo_email(role)))
        staff[role] = client

    setup = reverse("mfa_activate_totp")
    leaks = []
    for path in paths:
        member.force_login(users.get(email=demo_email("Member")))  # in case the last path signed them out
        as_member = member.get(path)
        for role, client in staff.items():
            response = client.get(path)
            if served(response) and not served(as_member):
                templates = [t.name for t in response.templates][:2]
                leaks.append(f"GET {path} as {role}: 200 {templates}; a member gets {as_member.status_code}")
            if not path.startswith("/accounts/") and not path.startswith("/admin/"):
                sent = client.post(path, {})
                if not sent.get("Location", "").startswith(setup):
                    leaks.append(f"POST {path} as {role}: {sent.status_code}, not sent to set up two factors")
    assert not leaks, "\n".join(leaks)
    assert len(paths) > 500  # every pattern, admin screens included
