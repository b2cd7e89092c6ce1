"""Finding organisations by need and by place.

The search box looks in names, descriptions (services), the register's activities, and the names
of the areas of interest and localities an entry is tagged with. Its words are matched one by one:
entries holding all of them come first, then those missing one ("dementia support for carers" finds
a carers' group that mentions dementia but not "support"); a single word must be there.

On PostgreSQL that is full-text search over a stored, weighted document (name and interests weigh
most, then services, then the register's activities, then localities) with English stemming ("falls"
finds "fall"); when the words find nothing, a trigram match (pg_trgm) against the names of entries and
their areas of interest finds close spellings ("fraility" finds "frailty"). On SQLite (the local
default) the stored search text is the same fields' words, and each word of the query matches the
start of a word there ("carer" finds "carers"). Both are kept by `refresh_search_documents`, which
every service that changes an entry or its interests calls.

A search near a postcode orders entries by their distance from its centroid (haversine, in SQL)
and adds those whose localities cover its district, however far their own address is.

A page of results is two queries (partners.results): the page's ids with the count of all matches, then
its entries with their tags.
"""

import functools
import math
import re
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from partners import postcodes
from partners.models import AreaOfInterest, Locality, PartnerOrganisation
from partners.results import page_of
from partners.vocabulary import vocabulary

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


# Words too common to narrow a search; dropped from what is typed (PostgreSQL's English dictionary has its own).
STOP_WORDS = frozenset(
    "a about an and any are as at be by can for from help in into is it me my near of on or our the their "
    "them to up us we who with".split()
)
MAX_WORDS = 8


def words(text):
    """The words of `text` that count in a search, lower-case, in order, once each, a plural's "s" dropped."""
    seen = []
    for word in re.findall(r"[^\W_]+", text.casefold()):
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def _sqlite_document(partner):
    """The words an entry is found by on SQLite, each preceded by a space so a query word matches a word's start."""
    fields = [partner.name, partner.services, partner.activities, partner.registration_number]
    fields += [area.name for area in partner.areas_of_interest.all()]
    fields += [place.name for place in partner.localities.all()]
    return " " + " ".join(re.findall(r"[^\W_]+", " ".join(fields).casefold())) + " "


def _refresh_sqlite_documents(targets):
    batch = list(targets.prefetch_related("areas_of_interest", "localities"))
    for partner in batch:
        partner.search_text = _sqlite_document(partner)
    PartnerOrganisation.objects.bulk_update(batch, ["search_text"], batch_size=500)


def refresh_search_documents(partners=None):
    """Rebuild the stored search document of `partners` (a queryset or ids; all when None)."""
    targets = PartnerOrganisation.objects.all()
    if partners is not None:
        targets = targets.filter(pk__in=partners.values("pk") if hasattr(partners, "values") else list(partners))
    if connection.vendor != "postgresql":
        _refresh_sqlite_documents(targets)
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
    close: object = None  # on PostgreSQL with words: close spellings, shown when the words match nothing
    close_matches: bool = False  # nothing matched the words as typed; these are close spellings
    near: str = ""  # the normalised postcode searched near, if any
    covering: list = field(default_factory=list)  # localities covering that postcode's district

    def all(self):
        """Every match (close spellings when nothing matched as typed): for callers wanting the whole list."""
        if self.close is not None and not self.partners.exists():
            self._use_close()
        return self.partners

    def _use_close(self):
        _use_close_spelling_threshold()
        self.partners, self.close_matches = self.close, True

    def page(self, number, per_page):
        """(rows of the page, how many match in all, the page's number), in two queries; close spellings when
        nothing matched as typed. A number past the last page gives the last."""
        rows, total, number = page_of(self.partners, number, per_page)
        if total == 0 and self.close is not None:
            self._use_close()
            rows, total, number = page_of(self.partners, number, per_page)
        return rows, total, number


class MatchesQuery(Func):
    """`document @@ query`, as a value (so matches can be counted)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _lexemes(q):
    """The query's words as PostgreSQL's English dictionary stems them (stop words dropped)."""
    return list(_stems(tuple(words(q))))


@functools.lru_cache(maxsize=4096)
def _stems(query_words):
    # Kept by the process, a round trip saved for each search of words asked before: the dictionary is
    # fixed while it runs.
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector(%s, %s))", [LANGUAGE, " ".join(query_words)])
        return tuple(cursor.fetchone()[0] or [])[:MAX_WORDS]


def _most_of(partners, conditions, *, any_of, number):
    """Entries meeting all `conditions` or missing one (a single condition must hold), annotated with how
    many they meet; and the entry whose registration number is `number` (a Q, or None)."""
    matched = sum((Case(When(c, then=1), default=0, output_field=IntegerField()) for c in conditions), Value(0))
    enough = Q(matched__gte=max(1, len(conditions) - 1))
    if number is not None:
        any_of, enough = any_of | number, enough | number
    return partners.filter(any_of).annotate(matched=matched).filter(enough)


def _text_matches(partners, q):
    """(matches ranked, close spellings or None)."""
    number = Q(registration_number__iexact=q.strip()) if any(ch.isdigit() for ch in q) else None
    if connection.vendor != "postgresql":
        wanted = words(q)
        if not wanted:
            return (partners.filter(number) if number else partners.none()), None
        conditions = [Q(search_text__icontains=f" {word}") for word in wanted]
        any_of = Q()
        for condition in conditions:
            any_of |= condition
        found = _most_of(partners, conditions, any_of=any_of, number=number)
        return found.order_by("-matched", "name"), None
    lexemes = _lexemes(q)
    if not lexemes:
        return (partners.filter(number) if number else partners.none()), None
    queries = [SearchQuery(lexeme, config="simple") for lexeme in lexemes]
    every = queries[0]
    for query in queries[1:]:
        every |= query
    conditions = [MatchesQuery(F("search_vector"), query) for query in queries]
    # `any_of` and the number are each answered by an index; the count of words met is worked only for those.
    found = _most_of(partners, conditions, any_of=Q(search_vector=every), number=number).annotate(
        rank=SearchRank(F("search_vector"), every)
    )
    return found.order_by("-matched", "-rank", "name"), _close_spellings(partners, q)


def _use_close_spelling_threshold():
    with connection.cursor() as cursor:  # for this connection's later queries, which `<%` reads
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(CLOSE_SPELLING_THRESHOLD)]
        )


def _close_spellings(partners, q):
    close = partners.filter(CloseSpelling(Value(q), F("search_text"))).annotate(
        rank=WordSimilarity(Value(q), F("search_text"))
    )
    return close.order_by("-rank", "name")


class MilesFrom(Func):
    """The haversine distance in miles from a centre (latitude, longitude) to each entry's centroid, as SQL
    (NULL for an entry without one). One expression, its centre's trigonometry worked once in Python,
    rather than a tree of a dozen ORM functions compiled afresh each time it is used."""

    output_field = FloatField()

    def __init__(self, latitude, longitude):
        super().__init__(F("latitude"), F("longitude"))
        self.centre = (latitude, longitude)

    def as_sql(self, compiler, connection, **extra_context):
        (latitude, latitude_params), (longitude, longitude_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        centre_latitude, centre_longitude = (math.radians(degrees) for degrees in self.centre)
        sql = (
            f"(%s * ASIN(SQRT(POWER(SIN((RADIANS({latitude}) - %s) / 2), 2) "
            f"+ %s * COS(RADIANS({latitude})) * POWER(SIN((RADIANS({longitude}) - %s) / 2), 2))))"
        )
        params = [2 * postcodes.EARTH_RADIUS_MILES, *latitude_params, centre_latitude]
        params += [math.cos(centre_latitude), *latitude_params, *longitude_params, centre_longitude]
        return sql, params


def covering_localities(postcode):
    wanted = postcodes.district(postcode)
    return [place for place in vocabulary().localities if wanted in place.postcode_districts.upper().split()]


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
    # Two narrow questions, each answered from an index alone: listed entries in the box and within the
    # radius (the searchable-centroid index), and entries tagged with a covering locality (the tag table's
    # (locality, entry) index). The page's query then reads each one's centroid and name from the
    # searchable-place index (0007), and applies `partners`' filters, rather than reading the table.
    searchable = PartnerOrganisation.objects.filter(listed=True, hidden_from_search_on__isnull=True)
    in_reach = (
        searchable.filter(in_box)
        .annotate(distance=MilesFrom(latitude, longitude))
        .filter(distance__lte=radius)
        .values("pk")
        .order_by()
        .union(
            PartnerOrganisation.localities.through.objects.filter(locality__in=covering)
            .values("partnerorganisation_id")
            .order_by()
        )
    )
    nearby = partners.filter(pk__in=in_reach).annotate(distance=MilesFrom(latitude, longitude))
    return nearby.order_by(F("distance").asc(nulls_last=True), "name"), covering


def find_partners(*, q="", interest=None, locality=None, organisation_type="", postcode="", radius=None, centre=None):
    """Listed entries in search matching every filter given; near `postcode` (normalised, its centroid
    `centre` when the caller has it), the nearest first."""
    partners = PartnerOrganisation.objects.filter(listed=True, hidden_from_search_on__isnull=True).defer(
        "search_text", "search_vector", "register_data"
    )
    if interest is not None:
        partners = partners.filter(areas_of_interest=interest)
    if locality is not None:
        partners = partners.filter(localities=locality)
    if organisation_type:
        partners = partners.filter(organisation_type=organisation_type)
    found = Found(partners=partners.order_by("name"))
    if q:
        found.partners, found.close = _text_matches(partners, q)
    if postcode:
        centre = centre or postcodes.centroid(postcode)
        if centre is None:  # not a postcode we know: nothing is near it
            found.partners, found.close = found.partners.none(), None
        else:
            radius = radius or DEFAULT_RADIUS_MILES
            found.partners, found.covering = _near(found.partners, postcode, centre, radius)
            if found.close is not None:
                found.close = _near(found.close, postcode, centre, radius)[0]
            found.near = postcode
    found.partners = found.partners.prefetch_related("areas_of_interest", "localities")
    if found.close is not None:
        found.close = found.close.prefetch_related("areas_of_interest", "localities")
    return found
