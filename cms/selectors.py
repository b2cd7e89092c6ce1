from collections import defaultdict

from governance.bodies.models import Body, BodyKind
from governance.bodies.selectors import current_office_holders, public_declarations

LATEST_NEWS = 3
# The bodies a visitor asks about first; committees are listed by the bodies they report to.
GOVERNING_KINDS = (BodyKind.COUNCIL_OF_GOVERNORS, BodyKind.BOARD)


def latest_news(limit=LATEST_NEWS):
    from cms.models import NewsPage

    news = NewsPage.objects.live().public().order_by("-date", "-pk")
    return news[:limit] if limit else news


def governing_bodies(on=None):
    """The council and board, each with `office_holders` (the tenures in force on `on`, today by
    default, from the register) and each holder's `declarations` (the public register of interests)."""
    bodies = list(Body.objects.filter(kind__in=GOVERNING_KINDS).order_by("kind", "name"))
    for body in bodies:
        body.office_holders = list(current_office_holders(body, on).select_related("seat__constituency"))
        declarations = defaultdict(list)
        for declaration in public_declarations([tenure.holder_id for tenure in body.office_holders]):
            if declaration.ended_on is None:
                declarations[declaration.holder_id].append(declaration)
        for tenure in body.office_holders:
            tenure.declarations = declarations[tenure.holder_id]
    return bodies
