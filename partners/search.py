"""Finding organisations by need and by place.

The search box looks in names, descriptions (services), the register's activities, and the names
of the areas of interest and localities an entry is tagged with. On PostgreSQL that is full-text
search over a stored, weighted document (name and interests weigh most, then services, then the
register's activities, then localities) with English stemming ("falls" finds "fall"); when that
finds nothing, a trigram match (pg_trgm) against the names of entries and their areas of interest
finds close spellings ("fraility" finds "frailty").
The stored document is kept by `refresh_search_documents`, which every service that changes an
entry or its interests calls. SQLite, the local default, matches substrings of the same fields.

A search near a postcode orders entries by their distance from its centroid (haversine, in SQL)
and adds those whose localities cover its district, however far their own address is.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import ASin, Coalesce, Concat, Cos, Power, Radians, Sin, Sqrt

from partners import postcodes
from partners.models import AreaOfInterest, Locality, PartnerOrganisation

LANGUAGE = "english"
# How alike (pg_trgm word similarity, 0 to 1) a run of words must be to the query to count as a close
# spelling. pg_trgm's default, 0.6, misses a letter added to a short word ("fraility": 0.56).
CLOSE_SPELLING_THRESHOLD = 0.45
DEFAULT_RADIUS_MILES = 10


def _names(model, relation):
    """The names of an entry's tagged vocabulary, as one string (a subquery per entry)."""
    return Subquery(
        model.objects.filter(**{relation: OuterRef("pk")})
        .order_by()
        .values(relation)
        .annotate(names=StringAgg("name", " "))
        .values("names")
    )


def refresh_search_documents(partners=None):
    """Rebuild the stored search document of `partners` (a queryset or ids; all when None)."""
    targets = PartnerOrganisation.objects.all()
    if partners is not None:
        targets = targets.filter(pk__in=partners.values("pk") if hasattr(partners, "values") else list(partners))
    if connection.vendor != "postgresql":
        return
    interests, places = _names(AreaOfInterest, "partners"), _names(Locality, "partners")
    targets.update(
        # Names only, for close spellings: short, so a trigram match is quick to check, and what a misspelt
        # search is for (a need or an organisation), not every word of a description.
        search_text=Concat(
            "name", Value(" "), Coalesce(interests, Value(""), output_field=TextField()), output_field=TextField()
        ),
        search_vector=SearchVector("name", weight="A", config=LANGUAGE)
        + SearchVector(interests, weight="A", config=LANGUAGE)
        + SearchVector("services", weight="B", config=LANGUAGE)
        + SearchVector("activities", weight="C", config=LANGUAGE)
        + SearchVector(places, weight="D", config=LANGUAGE),
    )


class CloseSpelling(Func):
    """`query <% document`: some run of words in the document is close to the query (pg_trgm's word
    similarity at or above pg_trgm.word_similarity_threshold); the trigram index answers it."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


@dataclass
class Found:
    partners: object  # a queryset, in the order to show
    close_matches: bool = False  # nothing matched the words as typed; these are close spellings
    near: str = ""  # the normalised postcode searched near, when there was one
    covering: list = field(default_factory=list)  # localities whose districts include that postcode


def _text_matches(partners, q):
    """(matches, close): full-text matches ranked, or else close spellings ranked by similarity."""
    if connection.vendor != "postgresql":
        in_interests = PartnerOrganisation.areas_of_interest.through.objects.filter(
            areaofinterest__name__icontains=q
        ).values("partnerorganisation_id")
        return partners.filter(
            Q(name__icontains=q)
            | Q(services__icontains=q)
            | Q(activities__icontains=q)
            | Q(registration_number__iexact=q)
            | Q(pk__in=in_interests)
        ), False
    query = SearchQuery(q, search_type="websearch", config=LANGUAGE)
    matches = Q(search_vector=query)
    if any(ch.isdigit() for ch in q):  # a registration number (an OR that would otherwise scan every row)
        matches |= Q(registration_number__iexact=q)
    exact = partners.filter(matches).annotate(rank=SearchRank(F("search_vector"), query))
    if exact.exists():
        return exact.order_by("-rank", "name"), False
    with connection.cursor() as cursor:  # for this connection's later queries, which `<%` reads
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(CLOSE_SPELLING_THRESHOLD)]
        )
    close = partners.filter(CloseSpelling(Value(q), F("search_text"))).annotate(
        rank=WordSimilarity(Value(q), F("search_text"))
    )
    return close.order_by("-rank", "name"), True


def _distance_miles(latitude, longitude):
    """The haversine distance from (latitude, longitude) to each entry's centroid, as SQL."""
    half_dlat = (Radians(F("latitude")) - Radians(Value(latitude))) / 2
    half_dlon = (Radians(F("longitude")) - Radians(Value(longitude))) / 2
    a = Power(Sin(half_dlat), 2) + Cos(Radians(Value(latitude))) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    return Value(2 * postcodes.EARTH_RADIUS_MILES) * ASin(Sqrt(a))


def covering_localities(postcode):
    wanted = postcodes.district(postcode)
    return [place for place in Locality.objects.all() if wanted in place.postcode_districts.upper().split()]


def _near(partners, postcode, centre, radius):
    """Entries within `radius` miles of `centre`, and those serving a locality that covers `postcode`,
    nearest first (entries without a known place last)."""
    latitude, longitude = centre
    # A box around the circle first, so the index on the centroid narrows the rows the distance is worked for.
    dlat = radius / postcodes.MILES_PER_DEGREE_OF_LATITUDE
    dlon = dlat / max(0.01, postcodes.math.cos(postcodes.math.radians(latitude)))
    in_box = Q(
        latitude__range=(latitude - dlat, latitude + dlat), longitude__range=(longitude - dlon, longitude + dlon)
    )
    covering = covering_localities(postcode)
    # Two narrow questions, each answered from its own index, rather than one OR that reads every row.
    in_reach = (
        partners.filter(in_box)
        .annotate(distance=_distance_miles(latitude, longitude))
        .filter(distance__lte=radius)
        .values("pk")
        .order_by()
        .union(partners.filter(localities__in=covering).values("pk").order_by())
    )
    nearby = partners.filter(pk__in=in_reach).annotate(distance=_distance_miles(latitude, longitude))
    return nearby.order_by(F("distance").asc(nulls_last=True), "name"), covering


def find_partners(*, q="", interest=None, locality=None, organisation_type="", postcode="", radius=None):
    """Listed entries matching every filter given; near `postcode` (normalised), the nearest first."""
    partners = PartnerOrganisation.objects.filter(listed=True).defer("search_text", "search_vector")
    if interest is not None:
        partners = partners.filter(areas_of_interest=interest)
    if locality is not None:
        partners = partners.filter(localities=locality)
    if organisation_type:
        partners = partners.filter(organisation_type=organisation_type)
    found = Found(partners=partners.order_by("name"))
    if q:
        found.partners, found.close_matches = _text_matches(partners, q)
    if postcode:
        centre = postcodes.centroid(postcode)
        if centre is None:  # not a postcode we know: nothing is near it
            found.partners = found.partners.none()
        else:
            found.partners, found.covering = _near(found.partners, postcode, centre, radius or DEFAULT_RADIUS_MILES)
            found.near = postcode
    found.partners = found.partners.prefetch_related("areas_of_interest", "localities")
    return found
