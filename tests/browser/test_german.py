"""German in real Chromium: a browser set to German gets the whole product in
German, a German participant's answers score exactly as an English one's,
switching language mid-attempt loses nothing, the German pages are
axe-clean, and their longer words break no layout at 375 and 1280 px."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from assessments.banks.rules import DEFAULT_BANK_PATHS, read_bank_file
from assessments.banks.services import bank_import
from assessments.models import Item, Result
from assessments.roles import grant_role
from tests import cast
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_layout import LAPTOP, PHONE, START, check_page, pages_for
from tests.browser.test_layout import world as world  # noqa: F401, the layout's world
from tests.helpers import found

RESULT_URL = re.compile(r"/results/[^/]+/$")


@pytest.fixture
def both_languages(transactional_db):
    """Version 2 of the default bank as shipped: statements and scenarios, in
    English and German."""
    version, _ = bank_import(data=read_bank_file(DEFAULT_BANK_PATHS[-1]), shipped=True)
    assert set(version.languages) == {"en", "de"}
    return version


def choice(item_pk: int, kind: str) -> str:
    """The same answer to the same item, whatever its place on the page or
    the page's language: a statement's 1-5, a scenario's response 1-3."""
    return str(item_pk * 7 % 3 + 1 if kind == "scenario" else item_pk * 7 % 5 + 1)


def answer_page(page: Page) -> None:
    """Choose each answer as a person would, one at a time, each stored by the
    page's autosave before the next (as tests/browser/test_journeys.py does)."""
    for question in page.locator("fieldset.question").all():
        pk = int((question.get_attribute("id") or "").removeprefix("q"))
        kind = Item.objects.only("kind").get(pk=pk).kind
        with page.expect_response(
            lambda r: r.url.endswith("/answers/") and r.request.method == "POST"
        ) as saved:
            question.locator(f"input[value='{choice(pk, kind)}']").check()
        assert saved.value.ok, saved.value.status


def take_it_all(page: Page, *, switch_on_page: int | None = None) -> tuple[Result, dict[int, str]]:
    """Answer every page by ``choice``; the result, and the text each
    question showed, by item."""
    page.goto("/")
    page.locator("form[action='/assessment/start/'] button[type=submit]").first.click()
    number = 0
    shown: dict[int, str] = {}
    while not RESULT_URL.search(page.url):
        page.wait_for_url(re.compile(r"/pages/\d+/$"))
        number += 1
        for question in page.locator("fieldset.question").all():
            pk = int((question.get_attribute("id") or "").removeprefix("q"))
            shown[pk] = question.inner_text()
        answer_page(page)
        if number == switch_on_page:
            here = page.url
            page.locator("form.language-switch button[lang=en]").click()
            page.wait_for_url(here)
            expect(page.locator("html")).to_have_attribute("lang", "en")
            # Every answer of this page, chosen before the switch, is still chosen.
            for question in page.locator("fieldset.question").all():
                expect(question.locator("input:checked")).to_have_count(1)
            page.locator("form.language-switch button[lang=de]").click()
            page.wait_for_url(here)
            expect(page.locator("html")).to_have_attribute("lang", "de")
        page.locator("button.page-next").click()
        page.wait_for_load_state()
    return Result.objects.get(token=found(RESULT_URL, page.url)[0].split("/")[2]), shown


def scores(result: Result) -> dict[str, float]:
    by_measure = {score.dimension.key: score.score for score in result.scores.all()}
    by_measure["overall"] = result.overall
    return by_measure


def test_a_german_participant_scores_as_an_english_one(
    german_page: Page, page: Page, both_languages
):
    german, read_in_german = take_it_all(german_page, switch_on_page=2)
    english, read_in_english = take_it_all(page)
    assert scores(german) == scores(english)
    assert german.attempt.responses.count() == english.attempt.responses.count() > 30
    # Each read every item, and each in their own language: its text and,
    # for a scenario, its responses.
    assert (
        set(read_in_german)
        == set(read_in_english)
        == set(german.attempt.responses.values_list("item_id", flat=True))
    )
    for item in Item.objects.filter(pk__in=read_in_german).prefetch_related("options"):
        assert item.translations["de"]["text"] in read_in_german[item.pk]
        assert item.text in read_in_english[item.pk]
        for option in item.options.all():
            assert option.translations["de"]["text"] in read_in_german[item.pk]


def test_german_result_page_is_german_and_axe_clean(german_axe_page: Page, both_languages):
    result, _read = take_it_all(german_axe_page)
    german_axe_page.goto(f"/results/{result.token}/")
    expect(german_axe_page.locator("html")).to_have_attribute("lang", "de")
    expect(german_axe_page.locator("main")).not_to_contain_text("Your result")
    assert_no_axe_violations(german_axe_page)


@pytest.mark.parametrize("role", ["anonymous", "participant", "manager", "hr_admin"])
def test_every_german_page_is_axe_clean_and_fits_phone_and_laptop(
    german_axe_page: Page,
    request,
    world,
    role,  # noqa: F811
):
    page = german_axe_page
    user = request.getfixturevalue(role) if role != "anonymous" else None
    if role == "hr_admin":
        assert user is not None
        grant_role(user, "hr_admin")
    page.goto("/")
    if user is not None:
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cast.session_key(user),
                    "url": page.url,
                }
            ]
        )
    for path, _rows in pages_for(role, world, user):
        if path == START:
            page.goto("/")
            page.locator("form[action='/assessment/start/'] button[type=submit]").first.click()
            page.wait_for_url(re.compile(r"/pages/1/$"))
        else:
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
        expect(page.locator("html")).to_have_attribute("lang", "de")
        for viewport in (PHONE, LAPTOP):
            page.set_viewport_size(viewport)
            if page.locator("[data-figure]").count():
                page.wait_for_timeout(200)  # the charts' redraw for the new width
            check_page(page, f"{path} in German", None)
        assert_no_axe_violations(page)
