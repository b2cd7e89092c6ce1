"""CSV cells we write are neutralised against spreadsheet formula injection: a cell a
spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) gets a
leading apostrophe, so it is shown as text (OWASP, "CSV Injection")."""

import csv

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class SafeWriter:
    """A csv writer whose every cell is neutralised."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def unescape_cell(text):
    """Undo `safe_cell`, so a file we exported imports back unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def csv_attachment(filename, rows, empty_header=("membership_number",)):
    """A download of `rows` (dicts with the same keys, in column order) as a CSV file, every
    cell neutralised: a mail-merge of letters, for instance."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = SafeWriter(response)
    writer.writerow(list(rows[0]) if rows else empty_header)
    writer.writerows(row.values() for row in rows)
    return response
