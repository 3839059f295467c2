"""A version that shuffles its statements, taken in real Chromium by keyboard:
Back, a reload and resuming show the same statements in the same places."""

import copy

import pytest
from playwright.sync_api import Page, expect

from assessments.banks.services import bank_import
from assessments.models import Attempt, BankVersion, Response, Result
from assessments.taking.selectors import attempt_items
from tests.browser.test_journeys import (
    PAGE_URL,
    PAGES,
    PER_PAGE,
    RESULT_URL,
    answer_by_keyboard,
    on_question_page,
    option,
    questions,
    tab_to,
    value_for,
)
from tests.helpers import found


@pytest.fixture
def shuffled(bank_data) -> BankVersion:
    """The default bank with its statements shuffled, as it would come with the product."""
    data = copy.deepcopy(bank_data)
    data["version"]["shuffle_items"] = True
    version, _ = bank_import(data=data, shipped=True)
    return version


def statements(page: Page) -> list[str]:
    """The page's numbered statements, top to bottom, as a person reads them."""
    return [" ".join(text.split()) for text in questions(page).locator("legend").all_inner_texts()]


def answer_questions(page: Page, number: int, count: int = PER_PAGE) -> None:
    """Answer the page's first ``count`` questions, Tab taking focus from one to the next."""
    tab_to(page, option(questions(page).first, 1))
    for index in range(count):
        answer_by_keyboard(page, questions(page).nth(index), value_for(number * 10 + index))
        page.keyboard.press("Tab")


def press(page: Page, button: str) -> None:
    tab_to(page, page.get_by_role("button", name=button, exact=True))
    page.keyboard.press("Enter")


def expect_checked(page: Page, number: int, count: int = PER_PAGE) -> None:
    for index in range(count):
        expect(option(questions(page).nth(index), value_for(number * 10 + index))).to_be_checked()


def test_a_shuffled_attempt_keeps_its_order_through_back_reload_and_resume(
    page: Page, shuffled: BankVersion
):
    page.goto("/")
    press(page, "Start the assessment")
    on_question_page(page, 1)
    attempt = Attempt.objects.get(pk=found(PAGE_URL, page.url)[1])
    ordered = [item.text for item in attempt_items(attempt)]
    assert ordered != [item.text for item in shuffled.items.order_by("order")]
    expected = {
        number: [
            f"{index + 1}. {ordered[index]}"
            for index in range((number - 1) * PER_PAGE, number * PER_PAGE)
        ]
        for number in range(1, PAGES + 1)
    }

    assert statements(page) == expected[1]
    answer_questions(page, 1)
    press(page, "Next")
    on_question_page(page, 2)
    assert statements(page) == expected[2]
    answer_questions(page, 2, count=3)

    press(page, "Back")
    on_question_page(page, 1)
    assert statements(page) == expected[1]
    expect_checked(page, 1)
    page.reload()
    on_question_page(page, 1)
    assert statements(page) == expected[1]
    expect_checked(page, 1)

    press(page, "Next")
    on_question_page(page, 2)
    assert statements(page) == expected[2]
    expect_checked(page, 2, count=3)
    page.reload()
    on_question_page(page, 2)
    assert statements(page) == expected[2]
    expect_checked(page, 2, count=3)

    # Resuming from the start page lands where the first gap is, in this order.
    page.goto("/")
    press(page, "Continue where you left off")
    on_question_page(page, 2)
    assert statements(page) == expected[2]
    expect_checked(page, 2, count=3)

    for number in range(2, PAGES + 1):
        on_question_page(page, number)
        assert statements(page) == expected[number]
        if number == 2:
            tab_to(page, option(questions(page).nth(3), 1))
            for index in range(3, PER_PAGE):
                answer_by_keyboard(page, questions(page).nth(index), value_for(20 + index))
                page.keyboard.press("Tab")
        else:
            answer_questions(page, number)
        press(page, "See my result" if number == PAGES else "Next")

    expect(page).to_have_url(RESULT_URL)
    result = Result.objects.get(attempt=attempt)
    assert found(RESULT_URL, page.url)[1] == result.token
    items = attempt_items(attempt)
    stored = dict(Response.objects.filter(attempt=attempt).values_list("item_id", "value"))
    assert stored == {
        item.pk: value_for(((index // PER_PAGE) + 1) * 10 + index % PER_PAGE)
        for index, item in enumerate(items)
    }
    attempt.refresh_from_db()
    assert attempt.order_seed is not None
