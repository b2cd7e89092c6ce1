"""A staff file whose import preview is never confirmed does not stay on disk: the daily job deletes
it once it is a day old."""

import os
import time

from django.core.management import call_command

from membership.import_files import keep_for_confirmation


def test_the_daily_job_deletes_unconfirmed_staff_files_older_than_a_day(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    forgotten = tmp_path / keep_for_confirmation(b"surname,email\nSmith,smith@example.org\n")
    in_progress = tmp_path / keep_for_confirmation(b"surname,email\nJones,jones@example.org\n")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(forgotten, (two_days_ago, two_days_ago))

    call_command("delete_unconfirmed_imports")

    assert not forgotten.exists()
    assert in_progress.exists()  # an officer may still be reading its preview
    assert "1 unconfirmed import file(s) deleted" in capsys.readouterr().out


def test_the_daily_job_is_quiet_when_no_import_was_ever_previewed(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("delete_unconfirmed_imports")
    assert "0 unconfirmed" in capsys.readouterr().out
