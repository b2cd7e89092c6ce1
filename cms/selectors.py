from django.db.models import Q
from django.utils import timezone

from governance.bodies.models import Body, BodyKind, Tenure

LATEST_NEWS = 3
# The bodies a visitor asks about first; committees are listed by the bodies they report to.
GOVERNING_KINDS = (BodyKind.COUNCIL_OF_GOVERNORS, BodyKind.BOARD)


def latest_news(limit=LATEST_NEWS):
    from cms.models import NewsPage

    news = NewsPage.objects.live().public().order_by("-date", "-pk")
    return news[:limit] if limit else news


def governing_bodies(on=None):
    """The council and board, each with `office_holders`: the tenures in force on `on` (today),
    with holder, seat and constituency, by seat name."""
    on = on or timezone.localdate()
    bodies = list(Body.objects.filter(kind__in=GOVERNING_KINDS).order_by("kind", "name"))
    for body in bodies:
        body.office_holders = (
            Tenure.objects.filter(seat__body=body, started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
            .select_related("holder", "seat", "seat__constituency")
            .order_by("seat__name", "seat_id")
        )
    return bodies
