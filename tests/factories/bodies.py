import factory

from governance.bodies.models import Body, BodyKind, Seat, SeatKind
from tests.factories.membership import ConstituencyFactory


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("slug",)

    name = "Council of Governors"
    slug = factory.Sequence(lambda n: f"body-{n}")
    kind = BodyKind.COUNCIL_OF_GOVERNORS


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Public governor {n}")
    kind = SeatKind.ELECTED
    constituency = factory.SubFactory(ConstituencyFactory)
