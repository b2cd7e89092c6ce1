from django.conf import settings
from wagtail.models import Locale, Page, Site

from cms.models import HomePage


def ensure_home_page():
    """The site root is a HomePage (the first migration makes it; this restores it when a
    database was emptied, as browser tests do between tests)."""
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title=settings.ORGANISATION_NAME, slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": settings.ORGANISATION_NAME},
    )
    return home
