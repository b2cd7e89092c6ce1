"""Staff files kept between an import's preview and its confirmation.

The back office stores the uploaded file while the membership officer checks the preview, and
deletes it when they confirm. A preview that is never confirmed would leave staff records (HR
personal data) on disk, so the daily job deletes any such file once it is a day old.
"""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "membership-imports"
KEPT_FOR = datetime.timedelta(days=1)  # long enough to read a preview and confirm it the same day


def keep_for_confirmation(data):
    """Store an uploaded staff file under an unguessable name until the import is confirmed; its path."""
    return default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(16)}.csv", ContentFile(data))


def delete_unconfirmed(now=None):
    """Delete the kept staff files older than `KEPT_FOR`: previews nobody confirmed. Returns how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            deleted += 1
    return deleted
