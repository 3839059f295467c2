"""A cohort participant's own data in real Chromium, on a phone: from their
personal link to their result, their data, its deletion, and the page the
link shows afterwards; axe-core on each page, and nothing wider than the
screen."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect

from assessments.models import Attempt, Participant, Result
from tests.browser.conftest import assert_no_axe_violations
from tests.helpers import add_people, complete

PHONE: ViewportSize = {"width": 375, "height": 740}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def fits_the_screen(page: Page) -> None:
    """No part of the page is wider than the viewport (no sideways scroll)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def look(page: Page, name: str) -> None:
    """Save a full-page screenshot when SCREENSHOT_DIR is set, for a person to read."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_participant_downloads_and_deletes_their_data_by_link(axe_page: Page, cohort):
    page = axe_page
    page.set_viewport_size(PHONE)
    bob = add_people(cohort, cohort.teams.first(), 1)[0]

    page.goto(f"/invite/{bob.token}/")
    expect(page.get_by_role("heading", name=re.compile("Your data in"))).to_be_visible()
    fits_the_screen(page)
    assert_no_axe_violations(page)
    look(page, "invitation-375")

    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/pages/1/$"))
    complete(bob)
    page.goto(f"/invite/{bob.token}/")  # the finished link leads to the result
    page.wait_for_url(re.compile(r"/results/[^/]+/$"))
    data_link = page.get_by_role("link", name="Download all of it")
    expect(data_link).to_have_attribute("href", f"/invite/{bob.token}/data.json")
    expect(page.get_by_text("to keep this result with your history")).to_have_count(0)
    fits_the_screen(page)

    with page.expect_download() as download:
        data_link.click()
    saved = Path(download.value.path()).read_text()
    assert bob.email in saved and '"answers"' in saved

    page.get_by_role("link", name="delete it").click()
    expect(page.get_by_role("heading", level=1, name="Delete your data")).to_be_visible()
    fits_the_screen(page)
    assert_no_axe_violations(page)
    look(page, "delete-375")

    page.get_by_role("textbox", name=re.compile("to confirm")).fill("yes")
    page.get_by_role("button", name="Delete my data").click()
    expect(page.get_by_text('Type the word "delete" to confirm.')).to_be_visible()
    assert Result.objects.filter(attempt__participant=bob).exists()

    page.get_by_role("textbox", name=re.compile("to confirm")).fill("delete")
    page.get_by_role("button", name="Delete my data").click()
    expect(page.get_by_role("heading", level=1, name="Your data was deleted")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("have been deleted")
    fits_the_screen(page)
    assert_no_axe_violations(page)
    look(page, "withdrawn-375")
    assert not Attempt.objects.filter(participant=bob).exists()
    assert Participant.objects.get(pk=bob.pk).withdrawn_at is not None
