"""Print-ready documents: the platform's one way to make a PDF, from an HTML template.

WeasyPrint lays out the same Django templates the site uses (with their print style sheet) into
a tagged PDF (PDF/UA-1): the text is real text in reading order, the document states its title
and language, so a screen reader can read a notice a member downloads or is sent. WeasyPrint
draws with Pango from Debian (the `dev` script installs it). Any part of the platform that prints
calls `render_pdf`; none calls WeasyPrint itself.
"""

from django.conf import settings
from django.template.loader import render_to_string

# How a member asked to read what we send: the choices of `print_format`.
STANDARD = "standard"
LARGE_PRINT = "large_print"
EASY_READ = "easy_read"
FORMATS = (STANDARD, LARGE_PRINT, EASY_READ)
FORMAT_NAMES = {STANDARD: "Standard", LARGE_PRINT: "Large print", EASY_READ: "Easy read"}


def print_format(member):
    """The format a member asked for: easy read wins over large print, as easy-read papers are
    set in large type too."""
    if member.easy_read:
        return EASY_READ
    if member.large_print:
        return LARGE_PRINT
    return STANDARD


def render_pdf(template_name, context, *, title, language="en-GB"):
    """`template_name` rendered with `context` as a tagged PDF whose title is `title` and whose
    language is `language`; returns its bytes. The template is given `document_title` and
    `document_language` and should extend `print/base.html`, which sets both in the HTML."""
    # Imported here: WeasyPrint loads Pango when imported, and only printing needs it.
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "document_title": title, "document_language": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
