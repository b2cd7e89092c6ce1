"""A trustee's page on a phone-sized screen, with the keyboard: what is due, the upload of what
the trustee kit wrote, its check and its refusal, and a shuffle's check on the worker told as it
ends; each state of the page passes axe-core."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

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


def test_a_trustee_sees_their_shuffle_checked_and_told_when_it_is_done_without_reloading(
    page, assert_accessible, tmp_path
):
    """At 320 px with the text at 200%: the status line says the check is under way, and changes by
    itself (a polite live region, which screen readers announce) when the worker has finished."""
    from django.utils import timezone

    from governance.elections import long_steps
    from governance.elections.models import LongStep
    from governance.elections.services import close_poll
    from tests.factories.verifiable import after_close, open_verifiable_poll

    election, _, _, users = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    close_poll(election, now=after_close(election))
    trustee = election.trustees.get(number=1)
    TOTP.activate(users[0], generate_totp_secret())
    EmailAddress.objects.create(user=users[0], email=users[0].email, verified=True, primary=True)
    step = LongStep.objects.create(
        election=election, name="shuffle", trustee=trustee, upload="{}", ballots=0, requested_by=users[0]
    )
    with long_steps.claimed(step.pk):  # as the worker holds it while it runs the step
        LongStep.objects.filter(pk=step.pk).update(started_at=timezone.now())
        sign_in(page, users[0].email)
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(f"/elections/{election.pk}/trustee/")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        status = page.get_by_role("status")
        assert "Checking trustee 1's shuffle: under way" in status.inner_text()
        assert "Nothing can be uploaded while the site works through the ballots" in page.inner_text("main")
        assert status.evaluate("node => node.scrollWidth <= node.clientWidth")  # the words wrap, at 320 px
        assert_accessible(page)
        LongStep.objects.filter(pk=step.pk).update(finished_at=timezone.now(), upload="")
    page.get_by_text("Checking trustee 1's shuffle: done").wait_for(timeout=30_000)  # no reload
    assert page.get_by_role("link", name="Show the next step").is_visible()
    assert_accessible(page)
