"""Pages are made through the tree, under the site's home page, and published as an editor would."""

from cms.models import GovernedByPage, NewsIndexPage, NewsPage, StandardPage
from cms.site import ensure_home_page


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def standard_page(title="About us", slug="about-us", body="<p>Words.</p>", parent=None, **fields):
    return publish(
        parent or ensure_home_page(),
        StandardPage(title=title, slug=slug, body=[("paragraph", body)], **fields),
    )


def news_index(parent=None):
    return publish(parent or ensure_home_page(), NewsIndexPage(title="News", slug="news"))


def news_page(index, title="Annual meeting", slug="annual-meeting", summary="Come along.", **fields):
    return publish(index, NewsPage(title=title, slug=slug, summary=summary, body=[("paragraph", "<p>x</p>")], **fields))


def governed_by_page(parent=None):
    return publish(parent or ensure_home_page(), GovernedByPage(title="How we are governed", slug="governed"))
