"""Real Chromium, driven by Playwright's sync API, against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception or a
request to any host but the live server fails the test, because the app
promises to load nothing from another website.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from assessments.audit import triggers as audit_triggers

BROWSER_DIR = Path(__file__).resolve().parent
AXE_PATH = BROWSER_DIR.parents[1] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # tryfirst: pytest-django orders tests by their django_db marker in its own
    # hook, so the marker must be there before it looks.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session", autouse=True)
def _async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API runs an event loop in the test's thread, so Django
    # refuses ORM calls there (fixtures, database flushes) without this.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def _sqlite_flush_past_frozen_items(transactional_db) -> Iterator[None]:
    """Empty the tables before pytest-django's flush, which SQLite would refuse.

    The frozen-row trigger (migration 0002) aborts any DELETE of a published
    version's items, and the flush after a transactional test deletes items
    while their version still exists. Deleting the versions first, in the same
    transaction (SQLite defers foreign keys), leaves the trigger nothing to
    guard. PostgreSQL flushes with TRUNCATE, which row triggers do not see.

    The audit log refuses every DELETE (migration 0020), so its triggers are
    dropped for the flush and created again, in the same transaction.
    """
    yield
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.django_table_names(only_existing=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute('DELETE FROM "assessments_bankversion"')
        for sql in audit_triggers.statements("sqlite", forward=False):
            cursor.execute(sql)
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
        for sql in audit_triggers.statements("sqlite", forward=True):
            cursor.execute(sql)


@pytest.fixture(scope="session")
def browser(_async_unsafe_allowed: None) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Browser tests need Debian's Chromium on the PATH: "
            "`apt-get install -y chromium` (never `playwright install`).",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread, and Django keeps
    # a thread's connections apart from those of an event loop in it (they are
    # thread-critical asgiref Locals). Connections opened on one side of the
    # browser's start or stop would stay open, out of reach, until the process
    # ends, and PostgreSQL would then refuse to drop the test database ("being
    # accessed by other users"). So each side's are closed as it is left.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        connections.close_all()


@dataclass
class PageWatch:
    """What went wrong on a page that the test itself did not look at."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"console error: {text}" for text in self.console_errors] + [
            f"request to another host: {url}" for url in self.foreign_requests
        ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def watched_page(
    browser: Browser, base_url: str, *, bypass_csp: bool = False, locale: str | None = None
) -> Iterator[Page]:
    """A page whose browser asks for ``locale``'s language (Accept-Language)."""
    watch = PageWatch(origin=_origin(base_url))
    context = browser.new_context(base_url=base_url, bypass_csp=bypass_csp, locale=locale)

    def only_live_server(route: Route, request: Request) -> None:
        if urlsplit(request.url).scheme in LOCAL_SCHEMES or _origin(request.url) == watch.origin:
            route.continue_()
        else:
            # Recorded and refused, so nothing reaches the outside world.
            watch.foreign_requests.append(request.url)
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught {error}"))
    try:
        yield page
    finally:
        context.close()
    problems = watch.problems()
    assert not problems, "The page misbehaved:\n" + "\n".join(problems)


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh browser context per test, with the site's CSP enforced."""
    with watched_page(browser, live_server.url) as page:
        yield page


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:
    """Like `page`, but the CSP is bypassed so that axe-core can be injected."""
    with watched_page(browser, live_server.url, bypass_csp=True) as page:
        yield page


@pytest.fixture
def german_page(browser: Browser, live_server) -> Iterator[Page]:
    """Like `page`, in a browser set to German (Accept-Language: de-DE)."""
    with watched_page(browser, live_server.url, locale="de-DE") as page:
        yield page


@pytest.fixture
def german_axe_page(browser: Browser, live_server) -> Iterator[Page]:
    with watched_page(browser, live_server.url, bypass_csp=True, locale="de-DE") as page:
        yield page


def run_axe(page: Page) -> list[dict]:
    """axe-core's WCAG 2.0 and 2.1 A and AA violations for the page as it is now."""
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm install`.", pytrace=False)
    page.add_script_tag(path=str(AXE_PATH))
    rules = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
    results = page.evaluate(f"async () => await axe.run(document, {{runOnly: {rules}}})")
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"    {node['failureSummary']}".replace("\n", "\n    "))
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    violations = run_axe(page)
    if violations:
        report = describe_violations(violations)
        print(f"axe-core violations on {page.url}:\n{report}")
        pytest.fail(f"axe-core found violations on {page.url}:\n{report}", pytrace=False)
