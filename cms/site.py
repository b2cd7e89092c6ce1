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


SITE_EDITOR_ROLE = "Site editor"
SITE_EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
SITE_EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def grant_site_editors_pages(**kwargs):
    """Site editors may edit and publish every page and manage the site's images and documents
    (Wagtail grants those on the page tree and collections, not as model permissions). Runs
    after every migrate, like the roles' permissions."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    if root is None or collection is None:
        return
    group, _ = Group.objects.get_or_create(name=SITE_EDITOR_ROLE)
    for codename in SITE_EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
        if permission:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    for app_label, codename in SITE_EDITOR_COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
