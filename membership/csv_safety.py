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
