"""The HR area in real Chromium: a cohort from creation to a completed
invitation, and axe-core on every HR page and the links participants follow."""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, Route, expect

from assessments.cohorts.services import cohort_close
from assessments.cohorts.teams import team_manager_add
from assessments.models import Attempt, Cohort, OutboundEmail, Team
from tests.browser.conftest import LOCAL_SCHEMES, assert_no_axe_violations, watched_page
from tests.cast import PASSWORD
from tests.helpers import add_people, bulk_results, complete, found

# Plain groups: Playwright hands these patterns to JavaScript, which has no (?P<name>).
COHORT_URL = re.compile(r"/hr/cohorts/(\d+)/$")
PREVIEW_URL = re.compile(r"/hr/cohorts/\d+/imports/\d+/$")
PAGE_URL = re.compile(r"/assessment/[0-9a-f-]{36}/pages/(\d+)/$")
RESULT_URL = re.compile(r"/results/[^/]+/$")
INVITE_LINK = re.compile(r"^https?://[^/\s]+/invite/([^/\s]+)/$", re.MULTILINE)
PROGRESS = re.compile(r"^(\d+) of (\d+) answered$")

COHORT_NAME = "Account managers, Q3 2027"
TEAMS = ("Field sales", "Inside sales")
PEOPLE = 30
PEOPLE_PER_TEAM = PEOPLE // len(TEAMS)


def sign_in(page: Page, user) -> None:
    page.goto("/accounts/login/?next=/hr/")
    page.get_by_role("textbox", name=re.compile(r"^Username")).fill(user.username)
    page.get_by_role("textbox", name=re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/hr/$"))
    expect(page.get_by_role("heading", level=1, name="Cohorts")).to_be_visible()


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("name,email,team\n" + "".join(f"{line}\n" for line in lines))
    return path


def people_lines() -> list[str]:
    """PEOPLE lines, Person 01 to Person 30, the teams taking turns."""
    return [
        f"Person {number:02d},person{number:02d}@example.com,{TEAMS[number % len(TEAMS)]}"
        for number in range(1, PEOPLE + 1)
    ]


def completion_row(page: Page, team: str) -> Locator:
    return page.locator(".completion-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=team, exact=True)
    )


def expect_completion(
    page: Page, team: str, *, people: int, invited: int, started: int, completed: int
):
    """The team's row: people, invited, and of the invited how many have not
    started, started and completed; the rate is completed out of invited."""
    cells = completion_row(page, team).locator("td")
    rate = f"{round(100 * completed / invited)}%" if invited else "—"
    expect(cells).to_have_text(
        [
            str(people),
            str(invited),
            str(invited - started - completed),
            str(started),
            str(completed),
            rate,
        ]
    )


def drawn_completion(page: Page) -> dict[str, dict[str, int]]:
    """What the drawn chart shows: {trace name: {team: count}}, read from Plotly itself."""
    chart = page.locator("[data-figure=completion-figure]")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    # _fullData holds the arrays as Plotly drew them, typed arrays decoded.
    traces = chart.evaluate(
        "chart => chart._fullData.map(trace => "
        "[trace.name, Array.from(trace.y), Array.from(trace.x, Number)])"
    )
    return {name: dict(zip(teams, counts, strict=True)) for name, teams, counts in traces}


def answer_every_page(page: Page) -> None:
    """Pick an answer to each question with the mouse, page after page, up to the result."""
    page.wait_for_url(PAGE_URL)
    progress = page.locator("[data-progress-text]")
    answered, total = map(int, found(PROGRESS, progress.inner_text()).groups())
    assert answered == 0
    while True:
        number = int(found(PAGE_URL, page.url)[1])
        questions = page.locator("fieldset.question")
        for question in questions.all():
            question.get_by_role("radio").first.click()
        answered += questions.count()
        # The count comes back from the server: every autosave is in, none in flight.
        expect(progress).to_have_text(f"{answered} of {total} answered")
        if answered == total:
            page.get_by_role("button", name="See my result").click()
            break
        page.get_by_role("button", name="Next").click()
        # wait_for_url waits for the load event, so questions.js listens before the clicks.
        page.wait_for_url(re.compile(rf"/pages/{number + 1}/$"))
    expect(page).to_have_url(RESULT_URL)
    expect(page.get_by_role("heading", level=1, name="Your result")).to_be_visible()


def test_an_hr_admin_runs_a_cohort_until_an_invited_person_completes(
    page: Page, browser: Browser, live_server, bank_version, hr_admin, mailoutbox, tmp_path
):
    sign_in(page, hr_admin)
    page.get_by_role("link", name="New cohort").click()
    expect(page.get_by_role("heading", level=1, name="New cohort")).to_be_visible()
    page.get_by_role("textbox", name=re.compile(r"^Name")).fill(COHORT_NAME)
    bank_select = page.get_by_role("combobox", name=re.compile(r"^Question bank version"))
    bank_select.select_option(str(bank_version.pk))
    page.get_by_role("textbox", name="New teams").fill("\n".join(TEAMS))
    page.get_by_role("button", name="Create the cohort").click()

    expect(page).to_have_url(COHORT_URL)
    cohort = Cohort.objects.get(pk=found(COHORT_URL, page.url)[1])
    assert cohort.name == COHORT_NAME
    assert cohort.status == Cohort.Status.DRAFT
    assert cohort.bank_version == bank_version
    assert sorted(cohort.teams.values_list("name", flat=True)) == list(TEAMS)
    expect(page.get_by_role("heading", level=1, name=COHORT_NAME)).to_be_visible()
    expect(page.get_by_text("Nobody is in this cohort yet.")).to_be_visible()

    page.get_by_role("button", name="Open the cohort").click()
    expect(page.get_by_role("button", name="Close the cohort")).to_be_visible()
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.OPEN

    page.get_by_role("link", name="Upload a CSV").click()
    page.locator("#id_file").set_input_files(write_csv(tmp_path / "people.csv", people_lines()))
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(PREVIEW_URL)
    expect(page.locator(".preview-table tbody tr")).to_have_count(PEOPLE)
    expect(page.locator(".rejected-table")).to_have_count(0)
    expect(page.get_by_text("Nothing has been stored yet.")).to_be_visible()
    assert not cohort.participants.exists()
    page.get_by_role("button", name=f"Import {PEOPLE} people").click()

    expect(page).to_have_url(re.compile(rf"/hr/cohorts/{cohort.pk}/$"))
    expect(page.get_by_text(f"{PEOPLE} people were added to {COHORT_NAME}.")).to_be_visible()
    # Added is not invited: nobody has been emailed yet, so no chart either.
    for team in TEAMS:
        expect_completion(page, team, people=PEOPLE_PER_TEAM, invited=0, started=0, completed=0)
    expect(page.locator("[data-figure=completion-figure]")).to_have_count(0)
    expect(page.get_by_text("Nobody has been invited yet.")).to_be_visible()

    assert mailoutbox == []
    page.get_by_role("button", name="Send invitations to people not yet invited").click()
    expect(page).to_have_url(re.compile(rf"/hr/cohorts/{cohort.pk}/outbox/$"))
    expect(page.locator("[data-outbox-status]")).to_have_text(
        f"{PEOPLE} sent, 0 waiting, 0 failed. All done.", timeout=20_000
    )
    expect(page.get_by_role("button", name="Send the next batch")).to_be_hidden()

    people = {person.email: person for person in cohort.participants.select_related("team")}
    assert len(people) == PEOPLE
    assert len(mailoutbox) == len(people)
    links = {}
    for message in mailoutbox:
        (to,) = message.to
        person = people[to]
        assert f"Hello {person.name}," in message.body
        (token,) = INVITE_LINK.findall(message.body)
        assert token == person.token
        links[to] = found(INVITE_LINK, message.body)[0]
    assert links.keys() == people.keys()  # one email each, nobody twice
    assert cohort.emails.filter(status=OutboundEmail.Status.SENT).count() == len(people)

    invitee = people["person07@example.com"]
    team = invitee.team.name
    # A new context: no session, no account, only the emailed link.
    with watched_page(browser, live_server.url) as visitor:
        visitor.goto(links[invitee.email])
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "You're invited to the Seller–Leader Spectrum"
        )
        greeting = visitor.get_by_text(f"Hello {invitee.name}.")
        expect(greeting).to_contain_text(team)
        expect(greeting).to_contain_text(COHORT_NAME)
        visitor.get_by_role("button", name="Start the assessment").click()
        answer_every_page(visitor)
    attempt = Attempt.objects.get(participant=invitee)
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.user is None

    page.goto(f"/hr/cohorts/{cohort.pk}/")
    expect_completion(
        page, team, people=PEOPLE_PER_TEAM, invited=PEOPLE_PER_TEAM, started=0, completed=1
    )
    (other_team,) = set(TEAMS) - {team}
    expect_completion(
        page, other_team, people=PEOPLE_PER_TEAM, invited=PEOPLE_PER_TEAM, started=0, completed=0
    )
    after = drawn_completion(page)
    assert after["Completed"] == {team: 1, other_team: 0}
    assert after["Not started"] == {team: PEOPLE_PER_TEAM - 1, other_team: PEOPLE_PER_TEAM}
    page.get_by_role("link", name="see everyone added").click()
    page.get_by_role("searchbox", name="Name or email").fill(invitee.email)
    page.get_by_role("button", name="Show").click()
    person_row = page.locator(".participants-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(invitee.name)}\b"))
    )
    expect(person_row.locator("td.participant-status")).to_have_text("Completed")


# axe-core on each HR page, in the state that shows the most.


def test_axe_the_cohort_list(axe_page: Page, cohort, hr_admin):
    add_people(cohort, cohort.teams.first(), 3)
    sign_in(axe_page, hr_admin)
    expect(axe_page.get_by_role("link", name=cohort.name)).to_be_visible()
    assert_no_axe_violations(axe_page)


def test_axe_the_new_cohort_form_blank_and_with_its_errors(axe_page: Page, cohort, hr_admin):
    sign_in(axe_page, hr_admin)
    axe_page.goto("/hr/cohorts/new/")
    expect(axe_page.get_by_role("checkbox", name="EMEA sales")).to_be_visible()
    assert_no_axe_violations(axe_page)

    # The only published version is chosen for you; unchoose it to see its error.
    bank_select = axe_page.get_by_role("combobox", name=re.compile(r"^Question bank version"))
    bank_select.select_option("")
    axe_page.get_by_role("spinbutton", name=re.compile(r"^Minimum group size")).fill("2")
    axe_page.get_by_role("button", name="Create the cohort").click()
    expect(axe_page.get_by_text("Choose at least one team, or name a new one.")).to_be_visible()
    for field in ("#id_name", "#id_bank_version", "#id_min_group_size", "#id_new_teams"):
        expect(axe_page.locator(field)).to_have_class(re.compile(r"\bis-invalid\b"))
    assert Cohort.objects.count() == 1
    assert_no_axe_violations(axe_page)


def test_axe_the_cohort_page_with_its_chart_drawn(axe_page: Page, cohort, hr_admin):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, 6, prefix="emea") + add_people(cohort, us, 4, prefix="us")
    complete(people[0])
    sign_in(axe_page, hr_admin)
    axe_page.goto(f"/hr/cohorts/{cohort.pk}/")
    assert drawn_completion(axe_page)["Completed"] == {"EMEA sales": 1, "US sales": 0}
    assert_no_axe_violations(axe_page)


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_the_item_statistics_with_their_figures(
    axe_page: Page, bank_version, hr_admin, monkeypatch, width
):
    from assessments.banks import statistics

    monkeypatch.setattr(statistics, "BLOCK_SIZE", 60)  # one block, quickly
    bulk_results(bank_version, 60)
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, hr_admin)
    axe_page.goto(f"/hr/banks/versions/{bank_version.pk}/")
    axe_page.get_by_role("link", name="Item statistics").click()
    expect(axe_page.locator(".statistics-table")).to_have_count(3)
    expect(axe_page.get_by_text("right at most 56.9% of the time", exact=False)).to_be_visible()
    scroll = axe_page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the statistics page scrolls sideways at {width} px: {scroll} px"
    assert_no_axe_violations(axe_page)


def test_axe_the_list_of_people_and_its_filters(axe_page: Page, cohort, hr_admin):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, 6, prefix="emea") + add_people(cohort, us, 4, prefix="us")
    complete(people[0])
    sign_in(axe_page, hr_admin)
    axe_page.goto(f"/hr/cohorts/{cohort.pk}/participants/")
    expect(axe_page.locator(".participants-table tbody tr")).to_have_count(10)
    assert_no_axe_violations(axe_page)
    # Filtered, and with a filter refused.
    axe_page.get_by_label("Status").select_option("Completed")
    axe_page.get_by_role("button", name="Show").click()
    expect(axe_page.locator(".participants-table tbody tr")).to_have_count(1)
    axe_page.goto(f"/hr/cohorts/{cohort.pk}/participants/?status=promoted")
    expect(axe_page.get_by_text("Choose a status from the list")).to_be_visible()
    assert_no_axe_violations(axe_page)


def test_axe_the_csv_upload_page_and_the_preview_with_rejected_lines(
    axe_page: Page, cohort, hr_admin, tmp_path
):
    sign_in(axe_page, hr_admin)
    axe_page.goto(f"/hr/cohorts/{cohort.pk}/participants/import/")
    expect(axe_page.get_by_role("heading", level=1)).to_have_text(f"Upload people to {cohort.name}")
    assert_no_axe_violations(axe_page)

    lines = [
        "Ada Lovelace,ada@example.com,EMEA sales",
        "Grace Hopper,grace@example.com,APAC sales",
        "No Address,not-an-email,US sales",
        "Ada Again,ADA@example.com,US sales",
    ]
    axe_page.locator("#id_file").set_input_files(write_csv(tmp_path / "mixed.csv", lines))
    axe_page.get_by_role("button", name="Check the file").click()
    expect(axe_page).to_have_url(PREVIEW_URL)
    rejected = axe_page.locator(".rejected-table tbody tr")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0)).to_contain_text("'not-an-email' is not an email address")
    expect(rejected.nth(1)).to_contain_text("The same email appears on an earlier line")
    expect(axe_page.locator(".preview-table tbody tr")).to_have_count(2)
    expect(axe_page.get_by_text("New teams that will be created: APAC sales.")).to_be_visible()
    expect(axe_page.get_by_role("button", name="Import 2 people")).to_be_visible()
    assert not cohort.participants.exists()
    assert_no_axe_violations(axe_page)


def test_axe_the_outbox_page_once_every_invitation_is_sent(
    axe_page: Page, cohort, hr_admin, mailoutbox
):
    add_people(cohort, cohort.teams.first(), 3)
    sign_in(axe_page, hr_admin)
    axe_page.goto(f"/hr/cohorts/{cohort.pk}/")
    axe_page.get_by_role("button", name="Send invitations to people not yet invited").click()
    expect(axe_page.locator("[data-outbox-status]")).to_have_text(
        "3 sent, 0 waiting, 0 failed. All done."
    )
    expect(axe_page.locator("table tbody tr")).to_have_count(3)
    assert sorted(message.to[0] for message in mailoutbox) == [
        f"person{i}@example.com" for i in range(3)
    ]
    assert_no_axe_violations(axe_page)


def test_axe_the_team_list_and_a_team_page(axe_page: Page, cohort, hr_admin, manager):
    emea = Team.objects.get(name="EMEA sales")
    team_manager_add(team=emea, user=manager)
    sign_in(axe_page, hr_admin)
    axe_page.get_by_role("navigation", name="HR").get_by_role("link", name="Teams").click()
    expect(axe_page.get_by_role("heading", level=1, name="Teams and managers")).to_be_visible()
    expect(axe_page.get_by_role("row", name=re.compile(r"^EMEA sales martin"))).to_be_visible()
    assert_no_axe_violations(axe_page)

    axe_page.get_by_role("link", name="EMEA sales").click()
    expect(axe_page.get_by_role("heading", level=1, name="EMEA sales")).to_be_visible()
    expect(axe_page.get_by_role("button", name="Remove martin")).to_be_visible()
    assert_no_axe_violations(axe_page)


def test_axe_the_question_bank_list_and_a_version_page(axe_page: Page, bank_version, hr_admin):
    sign_in(axe_page, hr_admin)
    axe_page.goto("/hr/banks/")
    expect(axe_page.get_by_role("heading", level=1, name="Question banks")).to_be_visible()
    assert_no_axe_violations(axe_page)

    axe_page.get_by_role("link", name=f"Version {bank_version.number}", exact=True).click()
    expect(axe_page).to_have_url(re.compile(rf"/hr/banks/versions/{bank_version.pk}/$"))
    expect(axe_page.get_by_role("heading", name="This version is read-only")).to_be_visible()
    assert_no_axe_violations(axe_page)

    # A draft's page has the editing controls a published one lacks.
    axe_page.get_by_role("button", name="Make a new draft from this version").click()
    expect(axe_page.get_by_role("heading", name="Publishing checks")).to_be_visible()
    expect(axe_page.get_by_role("button", name=re.compile(r"^Up")).first).to_be_visible()
    assert_no_axe_violations(axe_page)


def test_axe_a_participants_invitation_page(axe_page: Page, cohort):
    (person,) = add_people(cohort, cohort.teams.first(), 1)
    axe_page.goto(f"/invite/{person.token}/")
    expect(axe_page.get_by_role("heading", level=1)).to_have_text(
        "You're invited to the Seller–Leader Spectrum"
    )
    expect(axe_page.locator(".lead")).to_contain_text(cohort.name)
    expect(axe_page.get_by_role("button", name="Start the assessment")).to_be_visible()
    assert_no_axe_violations(axe_page)


@pytest.fixture
def gone_page(browser: Browser, live_server) -> Iterator[tuple[Page, list[str]]]:
    """Like `axe_page`, for a page served with 410 Gone on purpose.

    Chromium logs any document's 4xx status as a console error, which the
    shared watch would count against the page; here the test sees the console
    errors and decides. Requests to other hosts are still refused and fail it.
    """
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    foreign: list[str] = []
    errors: list[str] = []

    def only_live_server(route: Route, request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme in LOCAL_SCHEMES or f"{url.scheme}://{url.netloc}" == live_server.url:
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught {error}"))
    try:
        yield page, errors
    finally:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


def test_axe_the_page_of_a_closed_cohorts_link(gone_page, cohort):
    page, console_errors = gone_page
    (person,) = add_people(cohort, cohort.teams.first(), 1)
    cohort_close(cohort=cohort)
    response = page.goto(f"/invite/{person.token}/")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{cohort.name} is not taking answers"
    )
    expect(page.get_by_text("its links no longer work")).to_be_visible()
    expect(page.get_by_role("button", name="Start the assessment")).to_have_count(0)
    assert not Attempt.objects.filter(participant=person).exists()
    assert_no_axe_violations(page)
    # The document's own 410, and nothing else.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 410 (Gone)"
    ]
