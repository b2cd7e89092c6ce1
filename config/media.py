"""Uploaded files that may be served straight from the media folder, and the development server's
view that serves them.

Only the folders whose files are published anyway are public: the CMS's images and the photographs
of candidates and office holders. Everything else under ``MEDIA_ROOT`` is private: documents
(meeting papers, drafts and confidential ones among them) reach people only through the views that
check who may read them (``governance.meetings.permissions.can_see_paper``), and staff-import files
never leave the back office. A new upload folder is private until it is added here.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/", "elections/candidates/", "bodies/holders/")


def is_public_media(path):
    """Whether a path under ``MEDIA_ROOT`` may be served to anyone, without a permission check."""
    return path.startswith(PUBLIC_MEDIA_FOLDERS) and ".." not in path.split("/")


def serve_public_media(request, path):
    """`runserver`'s media URL (DEBUG only): the public folders, and a 404 for anything else."""
    if not is_public_media(path):
        raise Http404("Not a public file.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
