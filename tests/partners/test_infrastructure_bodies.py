"""An infrastructure body is taken out of the directory through `remove_infrastructure_body`."""

import pytest
from django.core.exceptions import ValidationError

from partners.models import InfrastructureBody, Locality
from partners.services import remove_infrastructure_body

pytestmark = pytest.mark.django_db


def test_a_body_that_localities_route_enquiries_to_is_not_removed():
    cvs = InfrastructureBody.objects.create(name="Eastshire CVS", email="cvs@eastshire.example")
    Locality.objects.create(name="Eastbridge", slug="eastbridge", infrastructure_body=cvs)
    with pytest.raises(ValidationError, match="Enquiries from Eastbridge are sent to Eastshire CVS"):
        remove_infrastructure_body(cvs, actor=None)
    assert Locality.objects.get().infrastructure_body == cvs


def test_a_body_nobody_routes_to_is_removed():
    cvs = InfrastructureBody.objects.create(name="Eastshire CVS", email="cvs@eastshire.example")
    remove_infrastructure_body(cvs, actor=None)
    assert not InfrastructureBody.objects.exists()
