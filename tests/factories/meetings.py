import datetime
import io

import factory
from django.utils import timezone
from pypdf import PdfWriter

from governance.meetings.models import AgendaItem, AgendaPart, Meeting
from tests.factories.bodies import BodyFactory


def pdf_bytes(pages=1):
    """A real, readable PDF of blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def days_ago(days):
    """A start that has passed: attendance and minutes are taken only at a meeting that has begun."""
    return timezone.now() - datetime.timedelta(days=days)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=60))
    location = "Boardroom, Northfield House"
    is_public = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    part = AgendaPart.PUBLIC


def paper(meeting, clerk, *, visibility, title="Chief executive's report", agenda_item=None, published=True, pages=1):
    """A paper added (and by default published) through the clerk's services."""
    from governance.meetings.services import add_paper, publish_paper

    added = add_paper(
        meeting,
        title=title,
        content=pdf_bytes(pages),
        filename="paper.pdf",
        visibility=visibility,
        agenda_item=agenda_item,
        actor=clerk,
    )
    return publish_paper(added, actor=clerk) if published else added
