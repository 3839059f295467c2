"""Manager dashboards in real Chromium: charts drawn, withheld groups explained."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from assessments.cohorts.teams import team_manager_add
from assessments.models import Cohort, Team
from tests.browser.conftest import assert_no_axe_violations
from tests.cast import PASSWORD
from tests.helpers import add_people, complete


@pytest.fixture
def teams(cohort, manager) -> tuple[Team, Team, Team]:
    """EMEA with 11 completed (10 in the figures), US with 5, and a Tiny team
    with 3 published while the minimum was 3, all managed by one manager."""
    emea = cohort.teams.get(name="EMEA sales")
    us = cohort.teams.get(name="US sales")
    tiny = Team.objects.create(name="Tiny")
    cohort.teams.add(tiny)
    for team, count, minimum in ((emea, 11, 5), (us, 5, 5), (tiny, 3, 3)):
        Cohort.objects.filter(pk=cohort.pk).update(min_group_size=minimum)
        for person in add_people(cohort, team, count, team.name.split()[0].lower()):
            complete(person, value=lambda item: 5 if item.pole == "leader" else 2)
        team_manager_add(team=team, user=manager)
    Cohort.objects.filter(pk=cohort.pk).update(min_group_size=5)
    return emea, us, tiny


def expect_drawn(chart: Locator) -> None:
    """Scrolled to as a reader would (plotly.js is fetched once a chart is in view), drawn."""
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_attribute("data-drawn", "true")


def sign_in(page: Page, user) -> None:
    page.goto("/accounts/login/?next=/dashboards/")
    page.get_by_role("textbox", name=re.compile(r"^Username")).fill(user.username)
    page.get_by_role("textbox", name=re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboards")).to_be_visible()


def test_a_manager_reads_a_dashboard_with_its_charts_drawn(page: Page, manager, teams):
    emea, _, _ = teams
    sign_in(page, manager)
    page.get_by_role("link", name="EMEA sales").click()
    expect(page.get_by_role("heading", level=1, name="EMEA sales")).to_be_visible()
    expect(page.get_by_text("11 of 11 invited have completed.")).to_be_visible()
    expect(page.get_by_text("The figures below include 10 of them.")).to_be_visible()
    expect_drawn(page.locator("[data-figure=spread-figure]"))
    expect(page.locator("[data-figure=bands-figure]")).to_have_count(0)  # no counts per band
    expect(
        page.get_by_role("heading", name="What the article suggests for this team")
    ).to_be_visible()


def test_a_withheld_group_explains_why(page: Page, manager, teams):
    _, us, tiny = teams
    sign_in(page, manager)
    page.goto(f"/dashboards/teams/{tiny.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("fewer than 5 people have completed")
    # US has 5, but Tiny alone would be recognisable from the cohort total.
    page.goto(f"/dashboards/teams/{us.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("worked out from the cohort")
    expect_drawn(page.locator("[data-figure=spread-figure]"))


def test_axe_finds_nothing_on_the_dashboards(axe_page: Page, manager, teams):
    emea, _, tiny = teams
    sign_in(axe_page, manager)
    assert_no_axe_violations(axe_page)
    for team in (emea, tiny):
        axe_page.goto(f"/dashboards/teams/{team.pk}/")
        expect_drawn(axe_page.locator("[data-figure=spread-figure]"))
        assert_no_axe_violations(axe_page)
