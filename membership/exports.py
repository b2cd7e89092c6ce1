"""Files we hand out: the register as at a date, as CSV with every cell neutralised."""

from config.csv_safety import SafeWriter
from membership.selectors import register_as_at

REGISTER_COLUMNS = (
    "membership_number",
    "title",
    "first_name",
    "last_name",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "constituency",
    "class",
    "admitted_on",
    "ceased_on",
)


def write_register_csv(stream, day, constituency=None):
    """The statutory register (name, address, constituency and class, dates) in force on `day`.
    Returns how many members were written."""
    writer = SafeWriter(stream)
    writer.writerow(REGISTER_COLUMNS)
    count = 0
    rows = register_as_at(day, constituency).values_list(
        "member__membership_number",
        "member__title",
        "member__first_name",
        "member__last_name",
        "member__address_line_1",
        "member__address_line_2",
        "member__town",
        "member__postcode",
        "constituency__name",
        "member_class",
        "admitted_on",
        "ceased_on",
    )
    for row in rows.iterator(chunk_size=5000):
        writer.writerow(row)
        count += 1
    return count
