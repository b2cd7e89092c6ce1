import datetime

import factory

from partners.models import AreaOfInterest, Locality, OrganisationType, PartnerOrganisation
from partners.services import entries_changed


class AreaOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaOfInterest
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area of interest {n}")
    slug = factory.LazyAttribute(lambda area: area.name.lower().replace(" ", "-"))


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Locality {n}")
    slug = factory.LazyAttribute(lambda place: place.name.lower().replace(" ", "-"))


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    slug = factory.Sequence(lambda n: f"partner-organisation-{n}")
    organisation_type = OrganisationType.REGISTERED_CHARITY
    registration_number = factory.Sequence(lambda n: f"11{n:05d}")
    services = "Peer support groups."
    email = "hello@partner.example"
    last_verified_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))

    @factory.post_generation
    def areas_of_interest(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas_of_interest.set(extracted)

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)

    @factory.post_generation
    def search_document(self, create, extracted, **kwargs):
        # As the services do after every change: the entry's place and search document.
        if create:
            entries_changed([self.pk])
