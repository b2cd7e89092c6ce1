"""Papers are safe to open: a PDF that could act when opened is refused with the reason, a paper's
file is served as a download that a browser may not run, and the media URL is no side door."""

import importlib
import io

import pytest
from django.urls import clear_url_caches, reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from governance.meetings.models import PaperVisibility
from governance.meetings.services import check_pdf
from tests.factories.meetings import MeetingFactory, paper, pdf_bytes

pytestmark = pytest.mark.django_db


def written(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_that_runs_a_script_when_opened():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    script = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(script)
    return written(writer)


def pdf_with_an_embedded_file():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("payroll.exe", b"MZ not really a program")
    return written(writer)


def pdf_that_launches_a_program_from_a_link():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    launch = {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject(launch)})
    return written(writer)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (pdf_that_runs_a_script_when_opened(), "JavaScript"),
        (pdf_with_an_embedded_file(), "embedded files"),
        (pdf_that_launches_a_program_from_a_link(), "launches another program"),
        (pdf_bytes() + b"\n<html><script>alert(document.cookie)</script></html>\n", "after its end-of-file marker"),
    ],
    ids=["javascript", "embedded file", "launch action", "html after %%EOF"],
)
def test_a_pdf_that_could_act_when_opened_is_refused_saying_what_was_found_and_how_to_clean_it(content, reason):
    with pytest.raises(Exception) as refused:
        check_pdf(content)
    message = " ".join(refused.value.messages)
    assert reason in message
    assert "Save as PDF" in message


def test_a_plain_pdf_with_white_space_after_its_end_marker_is_accepted():
    check_pdf(pdf_bytes(pages=2) + b"\r\n\n")


def test_the_clerks_upload_form_shows_why_a_pdf_was_refused(client, people, board):
    clerk = people["clerk of this body"]
    client.force_login(clerk)
    meeting = MeetingFactory(body=board)
    upload = io.BytesIO(pdf_with_an_embedded_file())
    upload.name = "report.pdf"
    response = client.post(
        reverse("meetings:paper_add", args=[meeting.pk]),
        {"title": "Report", "visibility": PaperVisibility.PUBLIC, "file": upload},
    )
    assert response.status_code == 200
    assert "embedded files" in response.content.decode()
    assert not meeting.papers.exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_papers_file_is_a_download_a_browser_may_not_run(client, people, board, media):
    clerk = people["clerk of this body"]
    public = paper(MeetingFactory(body=board), clerk, visibility=PaperVisibility.PUBLIC)
    response = client.get(reverse("meetings:paper", args=[public.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    by_document_address = client.get(public.document.url)
    assert by_document_address["Content-Disposition"].startswith("attachment;")
    assert by_document_address["X-Content-Type-Options"] == "nosniff"
    pack = client.get(reverse("meetings:pack", args=[public.meeting.pk]))
    assert pack["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in pack["Content-Security-Policy"]


@pytest.fixture
def debug_urls(settings):
    """The URLs `bash dev run` serves, with DEBUG on."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_with_debug_on_a_private_papers_file_is_not_served_by_its_media_url(client, people, board, media, debug_urls):
    clerk = people["clerk of this body"]
    confidential = paper(MeetingFactory(body=board), clerk, visibility=PaperVisibility.BODY)
    draft = paper(MeetingFactory(body=board), clerk, visibility=PaperVisibility.PUBLIC, published=False)
    (media / "membership-imports").mkdir()
    (media / "membership-imports" / "left-over.csv").write_text("surname,email\nSmith,smith@example.org\n")
    for name in (confidential.document.file.name, draft.document.file.name, "membership-imports/left-over.csv"):
        assert (media / name).exists()
        assert client.get(f"/media/{name}").status_code == 404, name
        assert client.get(f"/media/images/../{name}").status_code == 404, name
    client.force_login(people["director"])  # sits on the board
    response = client.get(reverse("meetings:paper", args=[confidential.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_with_debug_on_published_photographs_are_still_served_by_their_media_url(client, media, debug_urls):
    (media / "bodies" / "holders").mkdir(parents=True)
    (media / "bodies" / "holders" / "chair.jpg").write_bytes(b"\xff\xd8\xff a photograph")
    assert client.get("/media/bodies/holders/chair.jpg").status_code == 200
