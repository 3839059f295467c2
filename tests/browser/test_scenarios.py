"""Scenario items in real Chromium: answered by keyboard alone, readable at
a phone's width and a desktop's, and axe-clean, with the HR editor too."""

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Attempt, Item, Response
from tests import cast
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_journeys import on_question_page, questions, start
from tests.browser.test_layout import sign_in
from tests.helpers import answer_all


@pytest.fixture
def mixed(transactional_db):
    return cast.mixed_bank()


def first_page_with_a_scenario(page: Page, attempt_id: str) -> int:
    """Answer every statement on the server, then open the first page
    showing a scenario, as someone coming back to it would."""
    attempt = Attempt.objects.get(pk=attempt_id)
    from assessments.taking.selectors import page_count, page_of_items

    for number in range(1, page_count(attempt.bank_version) + 1):
        shown = page_of_items(attempt, number)
        assert shown is not None
        if any(item.is_scenario for item in shown.items):
            page.goto(f"/assessment/{attempt_id}/pages/{number}/")
            on_question_page(page, number)
            return number
    raise AssertionError("the mixed bank shows no scenario")


def test_a_scenario_is_answered_by_keyboard_alone(page: Page, mixed):
    attempt_id = start(page)
    number = first_page_with_a_scenario(page, attempt_id)
    scenario = questions(page).filter(has_text="What would you most likely do?").first
    expect(scenario).to_be_visible()
    item = Item.objects.get(pk=int((scenario.get_attribute("id") or "").removeprefix("q")))
    options = list(item.options.order_by("order"))
    first = scenario.get_by_role("radio").first
    first.focus()
    # Arrow keys move through the responses and choose as they go, as in any radio group.
    with page.expect_response(lambda r: r.url.endswith("/answers/")) as saved:
        page.keyboard.press("ArrowDown")
    assert saved.value.ok
    expect(scenario.get_by_label(options[1].text, exact=True)).to_be_checked()
    stored = Response.objects.get(attempt_id=attempt_id, item=item)
    assert stored.value == 2
    # Back on the page later, the choice is there, from the server.
    page.reload()
    on_question_page(page, number)
    again = questions(page).filter(has_text=item.text)
    assert again.get_by_label(options[1].text, exact=True).get_attribute("checked") is not None


def test_a_whole_mixed_attempt_ends_on_a_result(page: Page, mixed):
    attempt_id = start(page)
    attempt = Attempt.objects.get(pk=attempt_id)
    answer_all(attempt, value=lambda item: 2 if item.is_scenario else 4)
    from assessments.taking.selectors import page_count

    last = page_count(attempt.bank_version)
    page.goto(f"/assessment/{attempt_id}/pages/{last}/")
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/results/[^/]+/$"))
    expect(page.get_by_role("heading", level=1, name="Your result")).to_be_visible()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_page_with_scenarios_fits_the_screen_and_is_axe_clean(axe_page: Page, mixed, width):
    axe_page.set_viewport_size({"width": width, "height": 900})
    attempt_id = start(axe_page)
    first_page_with_a_scenario(axe_page, attempt_id)
    scroll = axe_page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px: {scroll} px"
    # Each response is one line of a list, never squeezed into five columns.
    boxes = [
        box
        for box in (label.bounding_box() for label in axe_page.locator(".responses label").all())
        if box is not None
    ]
    assert boxes
    assert all(box["width"] > width * 0.4 for box in boxes), boxes
    assert_no_axe_violations(axe_page)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_scenario_editor_fits_the_screen_and_is_axe_clean(axe_page: Page, mixed, width):
    from assessments.banks.services import bank_version_copy

    draft = bank_version_copy(source=mixed)
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, cast.hr_admin())
    axe_page.goto(f"/hr/banks/versions/{draft.pk}/scenarios/new/")
    expect(axe_page.get_by_role("heading", level=1, name="Add a scenario")).to_be_visible()
    scroll = axe_page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width
    assert_no_axe_violations(axe_page)
    axe_page.goto(f"/hr/banks/versions/{draft.pk}/")
    scroll = axe_page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the version page scrolls sideways at {width} px: {scroll} px"
    assert_no_axe_violations(axe_page)
