"""HR schedules a cohort's reminders and sets its retention rule in real
Chromium: the text previewed as a made-up person gets it, then saved, and
the page passes axe-core."""

from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from assessments.models import Cohort
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_hr import sign_in


def test_hr_previews_and_schedules_reminders(axe_page: Page, cohort, hr_admin):
    Cohort.objects.filter(pk=cohort.pk).update(closes_at=datetime(2027, 3, 31, 18, tzinfo=UTC))
    page = axe_page
    sign_in(page, hr_admin)
    page.goto(f"/hr/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Reminders and retention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders and retention")
    assert_no_axe_violations(page)

    page.get_by_label("Send reminders this many days before the close").fill("3, 0")
    page.get_by_label("Subject").fill("Last call: {cohort}")
    page.get_by_label("Text").fill("Hi {name}, your link: {link}\n{closing}")
    page.get_by_role("button", name="Preview the reminder").click()
    preview = page.get_by_role("figure")
    expect(preview.locator("[data-preview-subject]")).to_have_text(f"Last call: {cohort.name}")
    expect(preview.locator("[data-preview-body]")).to_contain_text("Hi Alex Example, your link: ")
    expect(preview.locator("[data-preview-body]")).to_contain_text("It closes on 31 March 2027")

    page.get_by_label("Months after the cohort ends").fill("18")
    page.get_by_label("Delete the answers and results too").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The reminders and the retention rule are saved.")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("3 days before the last day")
    expect(rows.nth(1)).to_contain_text("On the last day")
    assert_no_axe_violations(page)
    cohort.refresh_from_db()
    assert (cohort.retention_months, cohort.retention_action) == (18, "delete")
    assert cohort.reminder_subject == "Last call: {cohort}"
