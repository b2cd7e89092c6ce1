"""The organisation's areas from a CSV file: name, constituency, postcode_districts."""

from django.db import transaction

from membership.imports.csvfile import CsvFile, ImportRefused, RowError
from membership.models import Area, Constituency, ConstituencyKind

AREA_COLUMNS = {"name": ("Area", "Area Name"), "constituency": (), "postcode_districts": ("Postcode Districts",)}


@transaction.atomic(durable=True)
def import_areas(text):
    """Create or update the organisation's areas from CSV `text` with the columns name,
    constituency (a public constituency's slug) and postcode_districts (separated by spaces).
    Every row is checked first; ImportRefused lists the bad ones and nothing is written.
    Returns how many areas were created and updated."""
    public = {c.slug: c for c in Constituency.objects.filter(kind=ConstituencyKind.PUBLIC)}
    areas, errors, claimed = [], [], {}
    for line, row in CsvFile(text, AREA_COLUMNS, required=tuple(AREA_COLUMNS)).rows(errors):
        if not row["name"]:
            errors.append(RowError(line, "name", "is blank"))
        if row["constituency"] not in public:
            errors.append(
                RowError(line, "constituency", f"{row['constituency']!r} is not a public constituency's slug")
            )
        districts = row["postcode_districts"].replace(",", " ").upper().split()
        if not districts:
            errors.append(RowError(line, "postcode_districts", "is blank"))
        for district in districts:
            if district in claimed:
                errors.append(RowError(line, "postcode_districts", f"{district} is also on line {claimed[district]}"))
            claimed.setdefault(district, line)
        areas.append((row["name"], public.get(row["constituency"]), " ".join(districts)))
    if errors:
        raise ImportRefused(errors)
    created = 0
    for name, constituency, districts in areas:
        _, was_created = Area.objects.update_or_create(
            name=name, defaults={"constituency": constituency, "postcode_districts": districts}
        )
        created += was_created
    return {"created": created, "updated": len(areas) - created}
