"""A PDF is refused by what it contains, whatever the action is hung on: XFA forms, javascript:
links, form submission, links into other files and rich media, each named in the refusal."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from governance.meetings.services import check_pdf
from tests.factories.meetings import pdf_bytes


def with_link(action):
    """A one-page PDF whose page carries a link annotation doing `action`."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    link = {
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([]),
        NameObject("/A"): DictionaryObject({NameObject(k): v for k, v in action.items()}),
    }
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(DictionaryObject(link))])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_xfa_form():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    form = {
        NameObject("/Fields"): ArrayObject([]),
        NameObject("/XFA"): TextStringObject("<xdp:xdp><script/></xdp:xdp>"),
    }
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(form)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_rich_media():
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    annotation = {NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia")}
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(DictionaryObject(annotation))])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


S, URI, F = "/S", "/URI", "/F"
CASES = {
    "XFA script": (with_xfa_form(), "an XFA form"),
    "javascript: link": (
        with_link({S: NameObject("/URI"), URI: TextStringObject(" JavaScript:app.alert(1)")}),
        "a javascript: link",
    ),
    "SubmitForm": (
        with_link({S: NameObject("/SubmitForm"), F: TextStringObject("https://example.org/x")}),
        "sends what is typed",
    ),
    "GoToR": (with_link({S: NameObject("/GoToR"), F: TextStringObject("other.pdf")}), "opens another file"),
    "RichMediaExecute": (with_link({S: NameObject("/RichMediaExecute")}), "rich media"),
    "RichMedia annotation": (with_rich_media(), "rich media"),
}


@pytest.mark.parametrize(("content", "reason"), CASES.values(), ids=CASES.keys())
def test_a_pdf_with_active_content_is_refused_naming_it(content, reason):
    with pytest.raises(ValidationError) as refused:
        check_pdf(content, max_bytes=10_000_000)
    message = " ".join(refused.value.messages)
    assert reason in message and "cannot be published as a paper" in message


def test_an_ordinary_web_link_is_not_active_content():
    check_pdf(with_link({S: NameObject("/URI"), URI: TextStringObject("https://www.nhs.uk/")}), max_bytes=10_000_000)
    check_pdf(pdf_bytes(), max_bytes=10_000_000)
