"""axe-core finds no WCAG 2 A or AA violations on the pages people use."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_axe_violations
from tests.cast import PASSWORD
from tests.helpers import submitted_result


def start(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/pages/1/$"))


def test_the_intro_page(axe_page: Page, bank_version):
    axe_page.goto("/")
    expect(axe_page.get_by_role("button", name="Start the assessment")).to_be_visible()
    assert_no_axe_violations(axe_page)


def test_a_fresh_question_page(axe_page: Page, bank_version):
    start(axe_page)
    expect(axe_page.locator("fieldset.question")).to_have_count(6)
    assert_no_axe_violations(axe_page)


def test_a_question_page_with_the_error_summary(axe_page: Page, bank_version):
    start(axe_page)
    axe_page.get_by_role("button", name="Next").click()
    expect(axe_page.locator("#error-summary")).to_be_focused()
    expect(axe_page.locator("fieldset.question.has-error")).to_have_count(6)
    assert_no_axe_violations(axe_page)


def test_the_result_page_with_its_chart(axe_page: Page, bank_version):
    result = submitted_result(bank_version, value=lambda item: item.order % 5 + 1)
    axe_page.goto(f"/results/{result.token}/")
    chart = axe_page.locator("[data-figure=result-figure]")
    chart.scroll_into_view_if_needed()  # plotly.js is fetched once a chart is in view
    expect(chart).to_have_attribute("data-drawn", "true")
    assert_no_axe_violations(axe_page)


def test_the_history_page_with_a_trend_chart(axe_page: Page, bank_version, participant):
    submitted_result(bank_version, user=participant, value=2)
    submitted_result(bank_version, user=participant, value=4)
    axe_page.goto("/accounts/login/")
    axe_page.get_by_role("textbox", name=re.compile(r"^Username")).fill(participant.username)
    axe_page.get_by_role("textbox", name=re.compile(r"^Password")).fill(PASSWORD)
    axe_page.get_by_role("button", name="Sign in").click()

    expect(axe_page).to_have_url(re.compile(r"/me/$"))
    expect(axe_page.locator(".history-table tbody tr")).to_have_count(2)
    expect(axe_page.locator("[data-figure=trend-overall]")).to_have_attribute("data-drawn", "true")
    assert_no_axe_violations(axe_page)
