"""The outbox and the people of a cohort in real Chromium: each email's real
status appears as the workers send it, without a reload, or on asking
without JavaScript; and HR acts on one person from the cohort page, on a
phone's width too."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from assessments.cohorts import outbox
from assessments.models import OutboundEmail, Participant
from tests.browser.conftest import watched_page
from tests.browser.test_hr import sign_in
from tests.helpers import add_people

SENT_AT = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}$")
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def no_worker_yet(monkeypatch):
    """Queued emails wait: the test sends them, as a worker would, when it says."""
    monkeypatch.setattr(outbox, "enqueue_send", lambda *_: None)


def outbox_rows(page: Page):
    return page.locator(".outbox-table tbody tr")


def test_the_outbox_shows_the_workers_progress_without_a_reload(
    page: Page, cohort, hr_admin, mailoutbox, no_worker_yet
):
    add_people(cohort, cohort.teams.first(), 5)
    sign_in(page, hr_admin)
    page.goto(f"/hr/cohorts/{cohort.pk}/")
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    page.get_by_role("button", name="Send invitations to people not yet invited").click()
    status = page.locator("[data-outbox-status]")
    expect(status).to_have_text("0 sent, 5 waiting, 0 failed.")
    expect(
        page.get_by_text("5 invitations are queued. They are sent in the background")
    ).to_be_visible()

    outbox.emails_send_batch(limit=2)  # a worker's first batch
    expect(status).to_have_text("2 sent, 3 waiting, 0 failed.", timeout=10_000)
    expect(page.locator("[data-outbox-bar] .progress-bar")).to_have_attribute(
        "style", "width: 40%;"
    )
    outbox.emails_send_batch()
    expect(status).to_have_text("5 sent, 0 waiting, 0 failed. All done.", timeout=10_000)
    rows = outbox_rows(page)
    expect(rows).to_have_count(5)
    expect(rows.locator("td:nth-child(3)")).to_have_text(["Sent"] * 5)
    for sent in rows.locator("td:nth-child(5)").all():
        expect(sent).to_have_text(SENT_AT)
        expect(sent.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(page.get_by_text("Queued", exact=True)).to_have_count(1)  # the column's heading
    # One page: the queuing's redirect to the outbox, and no reload after it.
    assert [url.rsplit("/hr/", 1)[-1] for url in documents] == [
        f"cohorts/{cohort.pk}/emails/invitations/",
        f"cohorts/{cohort.pk}/outbox/",
    ]
    assert len(mailoutbox) == 5
    page.wait_for_function(NO_SIDEWAYS_SCROLL, timeout=5000)  # once the page settles


def test_failed_emails_show_their_error_and_the_retry(page: Page, cohort, hr_admin, settings):
    add_people(cohort, cohort.teams.first(), 2)
    settings.OUTBOX_RETRY_DELAYS = []  # failed at the first try
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    sign_in(page, hr_admin)
    page.goto(f"/hr/cohorts/{cohort.pk}/")
    retry = page.get_by_role("button", name="Try the 2 failed emails again")
    page.get_by_role("button", name="Send invitations to people not yet invited").click()
    expect(page.locator("[data-outbox-status]")).to_have_text(
        "0 sent, 0 waiting, 2 failed. All done.", timeout=20_000
    )
    problems = page.locator(".outbox-problems-table tbody tr td:nth-child(3)")
    expect(problems).to_have_text([re.compile(r"^Failed: \w+")] * 2)
    expect(outbox_rows(page).locator("td:nth-child(5)")).to_have_text(["—", "—"])
    expect(retry).to_be_visible()
    retry.click()
    # Queued again, and sent again at once: the server is still down.
    expect(page.get_by_text("2 failed emails are queued again.")).to_be_visible()
    expect(page.locator("[data-outbox-status]")).to_have_text(
        "0 sent, 0 waiting, 2 failed. All done.", timeout=20_000
    )
    assert cohort.emails.filter(status=OutboundEmail.Status.FAILED).count() == 2


def test_without_javascript_the_page_shows_how_things_stand(
    browser: Browser, live_server, cohort, hr_admin, mailoutbox, no_worker_yet
):
    add_people(cohort, cohort.teams.first(), 3)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, hr_admin)
        page.goto(f"/hr/cohorts/{cohort.pk}/")
        page.get_by_role("button", name="Send invitations to people not yet invited").click()
        expect(page.locator("[data-outbox-status]")).to_have_text("0 sent, 3 waiting, 0 failed.")
        expect(outbox_rows(page).locator("td:nth-child(3)")).to_have_text(["Queued"] * 3)
        outbox.emails_send_batch()  # a worker sends them
        page.get_by_role("link", name="Show the latest").click()
        expect(page.locator("[data-outbox-status]")).to_have_text(
            "3 sent, 0 waiting, 0 failed. All done."
        )
        expect(outbox_rows(page).locator("td:nth-child(3)")).to_have_text(["Sent"] * 3)
        expect(page.get_by_role("link", name="Show the latest")).to_have_count(0)
    finally:
        context.close()
    assert len(mailoutbox) == 3


@pytest.mark.parametrize("width", [375, 1280])
def test_hr_invites_and_removes_one_person_from_the_list_of_people(
    browser: Browser, live_server, cohort, hr_admin, mailoutbox, width
):
    ann, bob = add_people(cohort, cohort.teams.first(), 2)
    with watched_page(browser, live_server.url) as page:
        page.set_viewport_size({"width": width, "height": 812})
        sign_in(page, hr_admin)
        page.goto(f"/hr/cohorts/{cohort.pk}/")
        page.get_by_role("link", name="see everyone added").click()
        # Measure the list of people, not the cohort page it is replacing:
        # mid-navigation there is briefly no document element to measure.
        page.wait_for_url(f"**/hr/cohorts/{cohort.pk}/participants/")
        page.wait_for_function(NO_SIDEWAYS_SCROLL, timeout=5000)  # once the page settles
        row = page.locator(".participants-table tbody tr").filter(
            # Below md the row's header holds the email and team under the name.
            has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(ann.name)}\b"))
        )
        expect(row.locator(".participant-status")).to_have_text("Added, not yet invited")

        row.get_by_role("button", name=f"Send invitation to {ann.name}").click()
        expect(page.locator("[data-outbox-status]")).to_have_text(
            "1 sent, 0 waiting, 0 failed. All done.", timeout=20_000
        )
        assert [message.to for message in mailoutbox] == [[ann.email]]

        page.get_by_role("link", name=f"People in {cohort.name}").click()
        expect(row.locator(".participant-status")).to_have_text(re.compile(r"^Invited on "))

        bob_row = page.locator(".participants-table tbody tr").filter(
            # Below md the row's header holds the email and team under the name.
            has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(bob.name)}\b"))
        )
        bob_row.get_by_role("link", name=f"Remove {bob.name}").click()
        expect(
            page.get_by_role("heading", level=1, name=f"Remove {bob.name} from {cohort.name}?")
        ).to_be_visible()
        page.wait_for_function(NO_SIDEWAYS_SCROLL, timeout=5000)  # once the page settles
        page.get_by_role("button", name=f"Remove {bob.name}").click()
        expect(page.get_by_text(f"{bob.name} was removed from {cohort.name}")).to_be_visible()
        expect(page.locator(".participants-table tbody tr")).to_have_count(1)
        page.wait_for_function(NO_SIDEWAYS_SCROLL, timeout=5000)  # once the page settles
    assert not Participant.objects.filter(pk=bob.pk).exists()
