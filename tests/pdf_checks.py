"""What makes a downloaded PDF readable by a screen reader, checked: tagged (marked content with a
structure tree), a document title shown in place of the file name, a document language, and text
that can be extracted. Returns the text, page by page, for checks of reading order."""

import io

from pypdf import PdfReader


def assert_accessible_pdf(pdf, *, title, language):
    reader = PdfReader(io.BytesIO(pdf))
    catalogue = reader.trailer["/Root"]
    assert catalogue.get("/Lang") == language, "the document states no language, or the wrong one"
    assert reader.metadata and reader.metadata.title == title, "the document has no title, or the wrong one"
    assert bool(catalogue.get("/MarkInfo", {}).get("/Marked")), "the PDF is not tagged"
    assert "/StructTreeRoot" in catalogue, "the PDF has no structure tree for assistive technology"
    viewer = catalogue.get("/ViewerPreferences", {})
    assert bool(viewer.get("/DisplayDocTitle")), "viewers would show the file name, not the title"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.strip(), "the PDF has no extractable text"
    return text


def font_sizes(pdf):
    """The sizes, in points, of the text drawn on every page (as the text matrix scales them)."""
    sizes = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(abs(size * tm[0] * cm[0]) or size, 1))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes
