"""Postcodes: how they are written, where their centroids are, and how far apart two places are.

Centroids come from the ONS Postcode Directory (ONSPD), loaded by `manage.py load_postcodes`.
Results that use them carry the attribution its licence asks for (ONS_ATTRIBUTION).
"""

import csv
import math

from django.db import transaction
from django.db.models import OuterRef, Subquery

from partners.models import PartnerOrganisation, Postcode, normalise_postcode

normalise = normalise_postcode

ONS_ATTRIBUTION = (
    "Postcode locations: Office for National Statistics, ONS Postcode Directory, licensed under the Open "
    "Government Licence v3.0. Contains OS data © Crown copyright and database right. Contains Royal Mail data "
    "© Royal Mail copyright and database right. Contains GeoPlace data © Local Government Information House "
    "Limited copyright and database right."
)
EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_OF_LATITUDE = 69.05
# Postcodes the ONSPD has no grid reference for carry this latitude; they are not loaded.
NO_GRID_REFERENCE_LATITUDE = 99.999999
BATCH = 5000


def district(postcode):
    """The outward code (the part before the space) of a normalised postcode."""
    return postcode.split(" ", 1)[0]


def centroid(postcode):
    """(latitude, longitude) of a postcode as written by anyone, or None when unknown."""
    normal = normalise(postcode)
    if normal is None:
        return None
    found = Postcode.objects.filter(postcode=normal).values_list("latitude", "longitude").first()
    return tuple(found) if found else None


def haversine_miles(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


class PostcodeFileError(Exception):
    pass


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def read_onspd(file):
    """Yield Postcode objects from a CSV in the ONSPD layout (columns pcds, lat, long at least)."""
    reader = csv.DictReader(file)
    missing = {"pcds", "lat", "long"} - set(reader.fieldnames or [])
    if missing:
        raise PostcodeFileError(f"The file lacks the ONSPD column(s) {', '.join(sorted(missing))}.")
    for row in reader:
        postcode = normalise(row["pcds"])
        try:
            latitude, longitude = float(row["lat"]), float(row["long"])
        except ValueError as error:
            raise PostcodeFileError(f"Line {reader.line_num}: the latitude or longitude is not a number.") from error
        if postcode is None or latitude == NO_GRID_REFERENCE_LATITUDE:
            continue
        yield Postcode(postcode=postcode, latitude=latitude, longitude=longitude)


def place_partners(partners=None):
    """Copy each entry's postcode centroid onto it (none when the postcode is not loaded), for
    `partners` (a queryset or ids; all when None). Entries' services call it through
    `services.entries_changed`; loading a directory of postcodes calls it for all."""
    known = Postcode.objects.filter(postcode=OuterRef("postcode"))
    targets = PartnerOrganisation.objects.all()
    if partners is not None:
        targets = targets.filter(pk__in=partners.values("pk") if hasattr(partners, "values") else list(partners))
    targets.update(latitude=Subquery(known.values("latitude")[:1]), longitude=Subquery(known.values("longitude")[:1]))


@transaction.atomic(durable=True)
def load_onspd(file):
    """Load (or refresh) centroids from an ONSPD file, then place every organisation whose postcode
    it knows. Returns the number of postcodes read."""
    count = 0
    for batch in _batches(read_onspd(file)):
        Postcode.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["postcode"], update_fields=["latitude", "longitude"]
        )
        count += len(batch)
    place_partners()
    return count
