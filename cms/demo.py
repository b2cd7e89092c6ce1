"""The public site's tree, with fictional copy an editor would replace. Idempotent: each page is
found by its slug under the home page and left alone if it exists."""

import datetime

from django.conf import settings

from cms.models import GovernedByPage, NewsIndexPage, NewsPage, StandardPage
from cms.site import ensure_home_page


def _paragraphs(*texts):
    return [("paragraph", f"<p>{text}</p>") for text in texts]


STANDARD_PAGES = [
    (
        "privacy-notice",
        "Privacy notice",
        "How we use the personal information of members, governors and visitors.",
        _paragraphs(
            "We keep the register of members because the law requires it. We use your details to send you "
            "voting papers, notices of meetings and news you asked for, and for nothing else.",
            "You can ask to see what we hold about you, to correct it, or not to be shown when the register is "
            "inspected. Write to the company secretary.",
        ),
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How accessible this website is and how to tell us about problems.",
        _paragraphs(
            "We want as many people as possible to be able to use this website. You should be able to zoom to "
            "400% without text spilling off the screen, navigate by keyboard and use a screen reader.",
            "This website aims to meet the Web Content Accessibility Guidelines version 2.2 AA standard.",
        ),
    ),
    (
        "contact",
        "Contact us",
        "How to reach the membership office, the company secretary and your governors.",
        _paragraphs(
            "Membership office: 01632 960001, membership@northfield.example, Freepost NORTHFIELD MEMBERS.",
            "You can ask for any letter in large print or easy read.",
        ),
    ),
]

NEWS = [
    (
        "annual-members-meeting",
        "Come to our annual members' meeting",
        datetime.date(2026, 9, 2),
        "Hear how the year went, question the council of governors and meet your governors.",
    ),
    (
        "governor-elections-open",
        "Governor elections: nominations are open",
        datetime.date(2026, 8, 12),
        "Three public governor seats are up for election this autumn. Any public member can stand.",
    ),
    (
        "new-partner-directory",
        "Find local voluntary organisations in our new directory",
        datetime.date(2026, 7, 1),
        "Health professionals told us they did not know who works locally. Our directory lists them.",
    ),
]


def _child(parent, model, slug, **fields):
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    return page


def seed(out):
    home = ensure_home_page()
    if not home.introduction:
        home.introduction = (
            f"{settings.ORGANISATION_NAME} belongs to its members: the people it serves, their carers and its staff."
        )
        home.how_to_join = (
            "<p>Anyone aged 16 or over who lives in our area can join, free of charge. Members elect the "
            "council of governors, receive news and can come to our meetings.</p>"
        )
        home.save_revision().publish()
    governed = _child(
        home,
        GovernedByPage,
        "how-we-are-governed",
        title="How we are governed",
        show_in_menus=True,
        introduction="<p>Our members elect the council of governors, which holds the board to account.</p>",
    )
    news = _child(
        home, NewsIndexPage, "news", title="News", show_in_menus=True, introduction="What is happening and when."
    )
    for slug, title, date, summary in NEWS:
        _child(news, NewsPage, slug, title=title, date=date, summary=summary, body=_paragraphs(summary))
    for slug, title, summary, body in STANDARD_PAGES:
        _child(home, StandardPage, slug, title=title, summary=summary, body=body, show_in_menus=True)
    out.write(f"Public site: home, {governed.title.lower()}, news and {len(STANDARD_PAGES)} standard pages.")
