"""A page of search results, read in two queries whatever the page holds.

The search runs once, returning only the page's ids (with the distance, when near a postcode) and the
count of all matches beside them (a window), rather than a count, an existence check and the page, each
running the search: narrow rows, so the thousands of matches sorted and counted are not carried whole.
Then the page's 20 entries are read by id, each with the ids of its areas of interest and localities
(a subquery each, for those 20 rows only), named from the vocabularies the process keeps
(partners.vocabulary): no query per entry, and none per kind of tag.
"""

import math

from django.db.models import Aggregate, Count, OuterRef, Subquery, TextField, Window

from partners.models import PartnerOrganisation
from partners.vocabulary import vocabulary


def page_of(partners, number, per_page):
    """(the entries of page `number` of `partners`, how many match in all, the page's number); a number past
    the last page gives the last."""
    near = "distance" in partners.query.annotations
    narrow = partners.prefetch_related(None).annotate(matching=Window(Count("pk")))
    hits = list(
        narrow.values_list("pk", "matching", *(["distance"] if near else []))[
            (number - 1) * per_page : number * per_page
        ]
    )
    if hits:
        return _rows(partners, hits, near), hits[0][1], number
    if number == 1:
        return [], 0, 1
    total = partners.count()  # beyond the last page (an old link): show the last
    return page_of(partners, max(1, math.ceil(total / per_page)), per_page) if total else ([], 0, 1)


class IdList(Aggregate):
    """The ids aggregated, as text ("3,7"): PostgreSQL's string_agg, SQLite's group_concat."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="STRING_AGG", template="%(function)s((%(expressions)s)::text, ',')"
        )


def _tag_ids(through, column):
    """The ids of an entry's tags of one kind, as text (a subquery per entry, run for the page's rows only)."""
    return Subquery(
        through.objects.filter(partnerorganisation_id=OuterRef("pk"))
        .order_by()
        .values("partnerorganisation_id")
        .annotate(ids=IdList(column))
        .values("ids")
    )


def _ids(text):
    return {int(id_) for id_ in text.split(",")} if text else set()


def _rows(partners, hits, near):
    """The entries of `hits` ((id, count, distance?) in order), read as `partners` reads them, with the names
    of their areas of interest and localities (`interest_names`, `locality_names`) from the same query."""
    fields, deferred = partners.query.deferred_loading
    found = PartnerOrganisation.objects.filter(pk__in=[hit[0] for hit in hits])
    found = found.defer(*fields) if deferred else found.only(*fields)
    found = found.annotate(
        interest_ids=_tag_ids(PartnerOrganisation.areas_of_interest.through, "areaofinterest_id"),
        locality_ids=_tag_ids(PartnerOrganisation.localities.through, "locality_id"),
    )
    by_id = {row.pk: row for row in found}
    vocab = vocabulary()
    rows = []
    for hit in hits:
        row = by_id.get(hit[0])  # gone since the search: leave it out
        if row is not None:
            row.distance = hit[2] if near else None
            row.interest_names = vocab.area_names(_ids(row.interest_ids))
            row.locality_names = vocab.locality_names(_ids(row.locality_ids))
            rows.append(row)
    return rows
