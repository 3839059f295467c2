"""A person's journeys through the assessment, in real Chromium."""

import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import Response as PlaywrightResponse

from assessments.content.scoring import LIKERT_LABELS
from assessments.models import Attempt, Response, Result
from tests.cast import PASSWORD
from tests.helpers import answer_all, found, submitted_result

# Plain groups: Playwright hands these patterns to JavaScript, which has no (?P<name>).
PAGE_URL = re.compile(r"/assessment/([0-9a-f-]{36})/pages/\d+/$")
RESULT_URL = re.compile(r"/results/([^/]+)/$")
AUTOSAVE_PATH = re.compile(r"/assessment/[0-9a-f-]{36}/answers/$")
PAGES = 4
PER_PAGE = 6


def value_for(number: int) -> int:
    """A varied answer for question `number`, so every option gets used."""
    return (number * 2) % 5 + 1


def on_question_page(page: Page, number: int) -> None:
    # wait_for_url also waits for the load event, so questions.js listens
    # before the first answer is chosen.
    page.wait_for_url(re.compile(rf"/pages/{number}/$"))


def start(page: Page) -> str:
    page.goto("/")
    page.get_by_role("button", name="Start the assessment").click()
    on_question_page(page, 1)
    return found(PAGE_URL, page.url)[1]


def questions(page: Page) -> Locator:
    return page.locator("fieldset.question")


def item_pk(question: Locator) -> int:
    return int((question.get_attribute("id") or "").removeprefix("q"))


def option(question: Locator, value: int) -> Locator:
    return question.get_by_label(LIKERT_LABELS[value], exact=True)


def click_and_autosave(page: Page, radio: Locator) -> None:
    """Click a radio with the mouse and wait until the server has stored it."""
    with page.expect_response(
        lambda r: bool(AUTOSAVE_PATH.search(r.url)) and r.request.method == "POST"
    ) as saved:
        radio.click()
    assert saved.value.status == 200, saved.value.text()


def saves_answer(response: PlaywrightResponse, name: str, value: int) -> bool:
    """Whether this is an autosave whose body carries `name` = `value`."""
    body = response.request.post_data or ""
    return bool(AUTOSAVE_PATH.search(response.url)) and (
        f'name="{name}"\r\n\r\n{value}\r\n' in body
    )


def answer_by_keyboard(page: Page, question: Locator, value: int) -> None:
    """From the group's focused first option, choose ``value`` with the arrow
    keys (Space for the first) and wait until the server has stored it."""
    expect(option(question, 1)).to_be_focused()
    name = option(question, 1).get_attribute("name") or ""

    def saved_here(response: PlaywrightResponse) -> bool:
        return saves_answer(response, name, value)

    with page.expect_response(saved_here) as saved:
        if value == 1:
            page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")
    assert saved.value.ok
    expect(option(question, value)).to_be_checked()


def expect_saved_answer(question: Locator, value: int) -> None:
    """The radio is checked, and by the server's HTML, not by browser form restore."""
    radio = option(question, value)
    expect(radio).to_be_checked()
    assert radio.get_attribute("checked") is not None


def answer_page_with_mouse(page: Page, number: int) -> dict[int, int]:
    chosen = {}
    for index in range(PER_PAGE):
        question = questions(page).nth(index)
        value = value_for((number - 1) * PER_PAGE + index + 1)
        click_and_autosave(page, option(question, value))
        chosen[item_pk(question)] = value
    return chosen


def finish_attempt_on_server(page: Page, attempt_id: str) -> str:
    """Answer every question behind the scenes, then press the last page's button."""
    answer_all(Attempt.objects.get(pk=attempt_id), value=lambda item: value_for(item.order))
    page.goto(f"/assessment/{attempt_id}/pages/{PAGES}/")
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(RESULT_URL)
    return found(RESULT_URL, page.url)[1]


def expect_full_result_page(page: Page, bank_data: dict) -> None:
    expect(page).to_have_url(RESULT_URL)
    expect(page.get_by_role("heading", level=1, name="Your result")).to_be_visible()
    chart = page.locator("[data-figure=result-figure]")
    chart.scroll_into_view_if_needed()  # plotly.js is fetched once a chart is in view
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    rows = page.locator(".positions-table tbody tr")
    expect(rows).to_have_count(1 + len(bank_data["dimensions"]))
    expect(rows.first.locator("th")).to_have_text("Overall")
    # Each difference is a section to open, named with its score and band.
    for dimension in bank_data["dimensions"]:
        heading = page.get_by_role(
            "heading", level=3, name=re.compile(rf"^{re.escape(dimension['name'])}: \d+ · ")
        )
        expect(heading).to_be_visible()


def test_a_newcomer_takes_the_assessment_with_the_mouse(page: Page, bank_version, bank_data):
    attempt_id = start(page)
    chosen: dict[int, int] = {}
    for number in range(1, PAGES + 1):
        on_question_page(page, number)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Page {number} of {PAGES}")
        expect(questions(page)).to_have_count(PER_PAGE)
        chosen |= answer_page_with_mouse(page, number)
        expect(page.locator("[data-progress-text]")).to_have_text(
            f"{number * PER_PAGE} of {PAGES * PER_PAGE} answered"
        )
        button = "See my result" if number == PAGES else "Next"
        page.get_by_role("button", name=button).click()

    expect_full_result_page(page, bank_data)
    stored = dict(Response.objects.filter(attempt_id=attempt_id).values_list("item_id", "value"))
    assert stored == chosen
    result = Result.objects.get(attempt_id=attempt_id)
    assert found(RESULT_URL, page.url)[1] == result.token
    overall_row = page.locator(".positions-table tbody tr").first
    expect(overall_row.locator("td").first).to_have_text(f"{result.overall:.0f}")


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target} in {limit} presses")


def test_a_newcomer_takes_the_assessment_by_keyboard_alone(page: Page, bank_version, bank_data):
    page.goto("/")
    tab_to(page, page.get_by_role("button", name="Start the assessment"))
    page.keyboard.press("Enter")
    on_question_page(page, 1)
    attempt_id = found(PAGE_URL, page.url)[1]

    chosen: dict[int, int] = {}
    for number in range(1, PAGES + 1):
        on_question_page(page, number)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Page {number} of {PAGES}")
        tab_to(page, option(questions(page).first, 1))
        for index in range(PER_PAGE):
            question = questions(page).nth(index)
            # Tab enters each unanswered group on its first option.
            expect(option(question, 1)).to_be_focused()
            value = value_for((number - 1) * PER_PAGE + index + 1)
            answer_by_keyboard(page, question, value)
            expect(option(question, value)).to_be_focused()
            chosen[item_pk(question)] = value
            page.keyboard.press("Tab")
        expect(page.locator("[data-progress-text]")).to_have_text(
            f"{number * PER_PAGE} of {PAGES * PER_PAGE} answered"
        )
        # Tab meets the buttons in the order they are shown: Back, then Next.
        if number > 1:
            expect(page.get_by_role("button", name="Back")).to_be_focused()
            page.keyboard.press("Tab")
        button = "See my result" if number == PAGES else "Next"
        expect(page.get_by_role("button", name=button)).to_be_focused()
        page.keyboard.press("Enter")

    expect_full_result_page(page, bank_data)
    stored = dict(Response.objects.filter(attempt_id=attempt_id).values_list("item_id", "value"))
    assert stored == chosen


def test_answers_survive_a_reload_and_going_back(page: Page, bank_version):
    start(page)
    first_page = questions(page)
    early = {index: value_for(index + 1) for index in range(3)}
    for index, value in early.items():
        click_and_autosave(page, option(first_page.nth(index), value))

    page.reload()
    for index, value in early.items():
        expect_saved_answer(first_page.nth(index), value)
    for index in range(3, PER_PAGE):
        expect(first_page.nth(index).locator("input:checked")).to_have_count(0)
    expect(page.locator("[data-progress-text]")).to_have_text("3 of 24 answered")

    later = {index: value_for(index + 1) for index in range(3, PER_PAGE)}
    for index, value in later.items():
        click_and_autosave(page, option(first_page.nth(index), value))
    page.get_by_role("button", name="Next").click()
    on_question_page(page, 2)

    second_page = questions(page)
    picked = {0: 5, 3: 1}
    for index, value in picked.items():
        click_and_autosave(page, option(second_page.nth(index), value))
    # Changing an answer quickly (arrow keys save at each step) keeps the last one.
    first_option = option(second_page.nth(1), 1)
    name = first_option.get_attribute("name") or ""
    first_option.focus()
    with page.expect_response(lambda r: saves_answer(r, name, 5)):
        for _ in range(4):
            page.keyboard.press("ArrowRight")
    picked[1] = 5
    expect(option(second_page.nth(1), 5)).to_be_checked()
    expect(page.locator("[data-progress-text]")).to_have_text("9 of 24 answered")
    expect(page.locator("[data-autosave-status]")).to_have_text("Your answers so far are saved.")

    page.reload()
    expect(page).to_have_url(re.compile(r"/pages/2/$"))
    for index, value in picked.items():
        expect_saved_answer(second_page.nth(index), value)
    expect(page.locator("[data-progress-text]")).to_have_text("9 of 24 answered")

    # Back needs no complete page: it keeps what is there and goes back.
    page.get_by_role("button", name="Back").click()
    on_question_page(page, 1)
    expect(page.locator("#error-summary")).to_have_count(0)
    for index, value in (early | later).items():
        expect_saved_answer(first_page.nth(index), value)

    page.get_by_role("button", name="Next").click()
    on_question_page(page, 2)
    for index, value in picked.items():
        expect_saved_answer(second_page.nth(index), value)


def test_missing_answers_show_a_focused_error_summary_linking_to_them(page: Page, bank_version):
    start(page)
    answered = [0, 1, 3, 5]
    for index in answered:
        click_and_autosave(page, option(questions(page).nth(index), 4))
    page.get_by_role("button", name="Next").click()

    expect(page).to_have_url(re.compile(r"/pages/1/$"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()

    missing = [questions(page).nth(index) for index in (2, 4)]
    missing_ids = [question.get_attribute("id") for question in missing]
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(missing))
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert hrefs == [f"#{question_id}" for question_id in missing_ids]
    expect(links.nth(0)).to_contain_text("Question 3")
    expect(links.nth(1)).to_contain_text("Question 5")
    for question, question_id in zip(missing, missing_ids, strict=True):
        expect(question).to_have_class(re.compile(r"\bhas-error\b"))
        expect(question).to_have_attribute("aria-describedby", f"{question_id}-error")
    for index in answered:
        expect(option(questions(page).nth(index), 4)).to_be_checked()

    page.set_viewport_size({"width": 1280, "height": 500})
    target = page.locator(f"#{missing_ids[1]}")
    expect(target).not_to_be_in_viewport()
    links.nth(1).click()
    expect(page).to_have_url(re.compile(rf"#{missing_ids[1]}$"))
    expect(target).to_be_in_viewport()


def test_the_result_chart_is_drawn_and_stays_in_print(page: Page, bank_version):
    result = submitted_result(bank_version, value=lambda item: value_for(item.order))
    page.goto(f"/results/{result.token}/")
    chart = page.locator("[data-figure=result-figure]")
    chart.scroll_into_view_if_needed()  # plotly.js is fetched once a chart is in view
    expect(chart).to_have_attribute("data-drawn", "true")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()

    page.emulate_media(media="print")
    expect(nav).to_be_hidden()
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Take it again")).to_be_hidden()
    expect(chart).to_be_visible()
    svg = chart.locator("svg.main-svg").first
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100, box
    expect(page.locator(".positions-table")).to_be_visible()


def test_signing_up_after_an_anonymous_attempt_keeps_its_result(page: Page, bank_version):
    token = finish_attempt_on_server(page, start(page))

    page.get_by_role("link", name="Sign up").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Username").fill("newcomer")
    # Crispy marks required fields with an asterisk inside the label.
    page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "1 result from this browser is now saved to your account."
    )
    rows = page.locator(".history-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_attribute("href", f"/results/{token}/")
    expect(page.locator("[data-figure]")).to_have_count(0)
    owner = Result.objects.get(token=token).attempt.user
    assert owner is not None and owner.username == "newcomer"

    page.get_by_role("button", name="Take it again").click()
    expect(page).to_have_url(PAGE_URL)
    second_token = finish_attempt_on_server(page, found(PAGE_URL, page.url)[1])
    assert second_token != token
    page.get_by_role("link", name="All my results").click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(rows).to_have_count(2)
    trend = page.locator("[data-figure=trend-overall]")
    expect(trend).to_have_attribute("data-drawn", "true")
    expect(trend.locator("svg.main-svg").first).to_be_visible()
    # One trend chart overall and one per dimension.
    expect(page.locator("[data-figure^=trend-][data-drawn=true]")).to_have_count(4)
