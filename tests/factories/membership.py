import datetime

import factory

from membership.models import Area, Constituency, ConstituencyKind, Member


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Public: Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    kind = ConstituencyKind.PUBLIC


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    membership_number = factory.Sequence(lambda n: f"T{n:08d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda m: f"{m.first_name}.{m.last_name}.{m.membership_number}@example.org".lower())
    postcode = factory.Faker("postcode", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=16, maximum_age=95)
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = factory.Faker("city", locale="en_GB")


def admitted(member=None, constituency=None, on=datetime.date(2024, 1, 1), **kwargs):
    """A member admitted through the service, as the register would have them."""
    from membership.services import admit_member

    return admit_member(member or MemberFactory(), constituency or ConstituencyFactory(), admitted_on=on, **kwargs)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    constituency = factory.SubFactory(ConstituencyFactory)
    postcode_districts = "NF1 NF2"


def applicant(**overrides):
    """The details a person gives on the join form, for `membership.services.apply`."""
    details = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.org",
        "address_line_1": "1 Mill Lane",
        "town": "Northfield",
        "postcode": "NF1 2AB",
        "date_of_birth": datetime.date(1960, 5, 17),
    }
    details.update(overrides)
    return details
