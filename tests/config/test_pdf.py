"""The platform's one PDF maker: what it makes is real text a screen reader can read, in reading
order, with the document's title and language."""

import io

import pytest
from pypdf import PdfReader

from config.pdf import render_pdf
from tests.pdf_checks import assert_accessible_pdf


def test_a_rendered_pdf_is_tagged_text_in_reading_order_with_its_title_and_language(tmp_path, settings):
    # Assigned whole, so Django's setting_changed signal makes the template engines afresh.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    (tmp_path / "notice.html").write_text(
        '{% extends "print/base.html" %}{% block body %}<section class="page fmt-standard">'
        "<h1>Annual members' meeting</h1><p>First comes the notice.</p><p>Then the agenda.</p>"
        "</section>{% endblock %}"
    )
    pdf = render_pdf("notice.html", {}, title="Notice of the annual members' meeting", language="cy-GB")
    text = assert_accessible_pdf(pdf, title="Notice of the annual members' meeting", language="cy-GB")
    assert text.index("Annual members' meeting") < text.index("First comes") < text.index("Then the agenda")


def test_a_pdf_of_pictures_alone_fails_the_check(tmp_path):
    from weasyprint import HTML

    pdf = HTML(string="<html><body><svg width='50' height='50'><rect width='50' height='50'/></svg></body></html>")
    with pytest.raises(AssertionError):
        assert_accessible_pdf(pdf.write_pdf(), title="Anything", language="en-GB")
    assert PdfReader(io.BytesIO(pdf.write_pdf())).pages  # a PDF all the same
