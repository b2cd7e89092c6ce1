"""The returning officer's close on the worker, by browser: while it runs the page says so and
offers no button, and when the worker has finished, the status line says it is done without a
reload (a polite live region, which screen readers announce); each state passes axe-core."""

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.elections import long_steps
from governance.elections.belenios import engine
from governance.elections.models import LongStep, State
from governance.elections.services import close_poll
from tests.e2e.steps import sign_in
from tests.factories.verifiable import after_close, open_verifiable_poll

pytestmark = pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed")


def test_the_officer_watches_the_close_run_on_the_worker_and_is_told_when_it_is_done(
    page, make_user, assert_accessible, tmp_path
):
    officer = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    election, *_ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    assign_perm("elections.run_election", officer, election)
    step = LongStep.objects.create(election=election, name="close_poll", ballots=0, requested_by=officer)
    with long_steps.claimed(step.pk):  # as the worker holds it while it runs the step
        LongStep.objects.filter(pk=step.pk).update(started_at=timezone.now())
        sign_in(page, officer.email)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"/admin/elections/{election.pk}/")
        status = page.get_by_role("status").filter(has_text="Closing the poll")
        assert "Closing the poll: under way" in status.inner_text()
        assert page.get_by_role("button", name="Close the poll").count() == 0
        assert_accessible(page)
        close_poll(election, now=after_close(election))  # the worker's work, committed
        LongStep.objects.filter(pk=step.pk).update(finished_at=timezone.now())
    page.get_by_text("Closing the poll: done").wait_for(timeout=30_000)  # no reload
    page.get_by_role("link", name="Show the next step").click()
    page.get_by_role("button", name="Verify and count").wait_for()
    assert_accessible(page)
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED
