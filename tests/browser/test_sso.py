"""Single sign-on in real Chromium: the sign-in page offers the
organisation's provider, a staff member goes there and comes back signed
in, and a refused person gets a clear page; both pages pass axe-core and
read well on a phone (375 px) and a laptop (1280 px)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Route, ViewportSize, expect

from tests.browser.conftest import LOCAL_SCHEMES, assert_no_axe_violations
from tests.sso_provider import PROVIDER_NAME, Provider, running_provider

PHONE: ViewportSize = {"width": 375, "height": 812}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}


@pytest.fixture
def provider(settings) -> Provider:
    running = running_provider()
    for name, value in running.settings().items():
        setattr(settings, name, value)
    return running


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# Chromium logs the status of a page answered 403, which the refusal is.
REFUSED_PAGE = "the server responded with a status of 403"


@contextmanager
def sso_page(
    browser: Browser, base_url: str, issuer: str, *, refusal: bool = False
) -> Iterator[Page]:
    """Like the suite's watched page (tests/browser/conftest.py), with the
    provider's origin allowed too: the journey goes through it. The CSP is
    bypassed so that axe-core can be injected."""
    allowed = {_origin(base_url), _origin(issuer)}
    refused: list[str] = []
    errors: list[str] = []
    context = browser.new_context(base_url=base_url, bypass_csp=True)

    def only_ours(route: Route, request: Request) -> None:
        if urlsplit(request.url).scheme in LOCAL_SCHEMES or _origin(request.url) in allowed:
            route.continue_()
        else:
            refused.append(request.url)
            route.abort()

    context.route("**/*", only_ours)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught {error}"))
    try:
        yield page
    finally:
        context.close()
    assert not refused, f"requests to other hosts: {refused}"
    if refusal:
        errors = [error for error in errors if REFUSED_PAGE not in error]
    assert not errors, f"console errors: {errors}"


def reads_well(page: Page) -> None:
    assert page.viewport_size is not None
    width = page.viewport_size["width"]
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px: {scroll} px wide"
    assert_no_axe_violations(page)


def sign_in_at_the_provider(page: Page, *, sub: str, email: str) -> None:
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.get_by_label("Subject (sub)").fill(sub)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_an_hr_admin_signs_in_through_the_provider(
    browser: Browser, live_server, provider, hr_admin, viewport
):
    with sso_page(browser, live_server.url, provider.issuer) as page:
        page.set_viewport_size(viewport)
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="HR admins and managers")).to_be_visible()
        reads_well(page)

        sign_in_at_the_provider(page, sub="sub-hannah", email=hr_admin.email)

        expect(page).to_have_url(re.compile(r"/hr/$"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_someone_without_a_role_gets_a_clear_page(
    browser: Browser, live_server, provider, participant, viewport
):
    with sso_page(browser, live_server.url, provider.issuer, refusal=True) as page:
        page.set_viewport_size(viewport)
        page.goto("/accounts/login/")

        sign_in_at_the_provider(page, sub="sub-alice", email=participant.email)

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Single sign-on is for HR admins and managers"
        )
        expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
        reads_well(page)
