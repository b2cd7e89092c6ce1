"""Browser tests: Debian's chromium, driven by Playwright (no browser download), against
pytest-django's live server. Every page a test visits can be checked with axe-core."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def _site_and_roles(transactional_db):
    """The live server needs committed data, and each browser test starts from an emptied
    database: put back what the migrations make (the site root, the role groups)."""
    from cms.site import ensure_home_page
    from config.roles import sync_roles

    sync_roles()
    ensure_home_page()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM} (./dev test installs it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# Rules whose "incomplete" (needs review) results are failures here: axe files an
# aria-describedby that names a missing id, or a control whose name it cannot work out, under
# "incomplete" rather than "violations", and those are exactly the faults that leave a screen
# reader saying "invalid entry" and nothing more.
INCOMPLETE_IS_FAILURE = {
    "aria-valid-attr-value",
    "aria-input-field-name",
    "aria-toggle-field-name",
    "button-name",
    "duplicate-id-aria",
    "form-field-multiple-labels",
    "input-button-name",
    "label",
    "label-content-name-mismatch",
    "label-title-only",
    "link-name",
    "select-name",
}


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page; fail listing every serious or critical violation, every
    "incomplete" result of the rules above, and every aria-describedby, for or href="#…" that
    points at nothing."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.html_checks import dangling_references

    axe = Axe()

    def check(page):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        bad += [v for v in results.response["incomplete"] if v["id"] in INCOMPLETE_IS_FAILURE]
        details = "\n".join(
            f"{v['impact']}: {v['id']} — {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in bad
        )
        assert not bad, f"axe-core found on {page.url}:\n{details}"
        dangling = dangling_references(page.content())
        assert not dangling, f"{page.url} points at ids it does not have: {dangling}"

    return check
