"""A trustee's page on a phone-sized screen, with the keyboard: what is due, the upload of what
the trustee kit wrote, its check and its refusal; each state of the page passes axe-core."""

import pytest

from governance.elections import trustees
from governance.elections.belenios import engine, trustee_kit
from governance.elections.models import Protocol
from tests.e2e.steps import sign_in
from tests.factories.elections import ElectionFactory

pytestmark = pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed")


def upload_by_keyboard(page, path):
    page.set_input_files("#id_file", str(path))
    page.focus("#id_file")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Upload and check"
    with page.expect_navigation():  # the answer is a new page: wait for it, not for the old one
        page.keyboard.press("Enter")


def test_a_trustee_uploads_their_certificate_and_a_wrong_file_is_refused_clearly(
    page, assert_accessible, make_user, tmp_path
):
    first = make_user("first.trustee@example.org", mfa=True)  # a trustee grant asks for two factors
    second = make_user("second.trustee@example.org", mfa=True)
    election = ElectionFactory(protocol=Protocol.BELENIOS)
    trustees.name_trustees(election, [first, second], threshold=2)
    certificate = tmp_path / "certificate.json"
    assert trustee_kit.main(["certificate", "--keys", str(tmp_path / "keys"), "--out", str(certificate)]) == 0

    sign_in(page, first.email)
    page.goto(f"/elections/{election.pk}/trustee/")
    assert "Round 1 of 3: upload your certificate.json." in page.inner_text("main")
    assert_accessible(page)
    upload_by_keyboard(page, certificate)
    assert "Received and checked." in page.inner_text("main")
    assert "You have done round 1; waiting for the other trustees." in page.inner_text("main")
    rows = page.locator("tbody tr").all_inner_texts()
    assert "Done" in rows[0] and "Done" not in rows[1]
    assert_accessible(page)

    sign_in(page, second.email)
    page.goto(f"/elections/{election.pk}/trustee/")
    wrong = tmp_path / "notes.json"
    wrong.write_text('{"not": "a certificate"}')
    upload_by_keyboard(page, wrong)
    assert "This is not a valid trustee certificate" in page.inner_text("main")
    assert "Round 1 of 3: upload your certificate.json." in page.inner_text("main")
    assert_accessible(page)
    assert not election.trustees.get(number=2).certificate
