"""Each team's stored progress (TeamProgress, kept by assessments.cohorts.progress)
equals a count of its people after every service that moves them, on its own and when
two people of one team move at once; and the check that says so sees a wrong row."""

import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assessments.accounts.services import participant_data_delete, user_data_delete
from assessments.cohorts import outbox, progress
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts.selectors import cohorts_with_completion, team_completion
from assessments.models import Attempt, Cohort, OutboundEmail, Participant, TeamProgress
from assessments.taking import services
from bench.invariants import attempt_problems, progress_mismatches
from tests.helpers import answer_all, someone_waits_for_a_lock
from tests.test_invariants import _in_threads, on_postgresql


def figures(cohort) -> dict[str, tuple[int, int, int, int]]:
    """Each team's people, invited, started and completed, as HR's page shows them."""
    return {
        row.team: (row.people, row.invited, row.started, row.completed)
        for row in team_completion(cohort)
    }


def test_the_stored_figures_follow_every_service_that_moves_people(
    cohort, hr_admin, participant, settings
):
    emea = cohort.teams.get(name="EMEA sales")
    cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    steps: list[tuple[str, dict]] = []

    def check(step: str) -> None:
        assert progress_mismatches() == [], step
        steps.append((step, figures(cohort)))
        # The cohort list's line is the sum of the page's rows.
        listed = cohorts_with_completion(Cohort.objects.filter(pk=cohort.pk)).get()
        line = tuple(getattr(listed, name) for name in progress.FIGURES)
        totals = tuple(sum(row) for row in zip(*figures(cohort).values(), strict=True))
        assert line == totals, step

    data = b"name,email,team\nAda,ada@example.com,EMEA sales\nBo,bo@example.com,New team\n"
    pending = participant_services.import_preview(
        cohort=cohort, data=data, filename="people.csv", created_by=hr_admin
    )
    participant_services.import_confirm(pending=pending)
    check("imported")
    cy = participant_services.participant_add(
        cohort=cohort, name="Cy", email="cy@example.com", team=emea
    )
    check("added")
    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    check("invitations queued")
    mailers = settings.MAILERS
    settings.OUTBOX_RETRY_DELAYS = []  # failed at the first try, not retried later
    settings.MAILERS = {  # nothing listens on port 9: every email fails
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    outbox.emails_send_batch(cohort=cohort)
    check("invitations failed")
    settings.MAILERS = mailers
    outbox.emails_retry_failed(cohort=cohort)
    outbox.emails_send_batch(cohort=cohort)
    check("invitations sent")
    dee = participant_services.participant_join(
        cohort=cohort, name="Dee", email="dee@example.com", team=emea
    )
    outbox.participant_link_send(participant=dee, link="http://x/")
    check("joined")
    participant_services.participant_team_confirm(participant=dee)
    check("team confirmed")
    ada = Participant.objects.get(email="ada@example.com")
    attempt = participant_services.participant_attempt(participant=ada)
    check("started")
    answer_all(attempt, 4)
    services.attempt_submit(attempt=attempt)
    check("submitted")
    participant_services.participant_attempt(participant=dee)
    check("another started")
    participant_data_delete(participant=dee)
    check("deleted their data")
    participant_services.participant_remove(participant=cy, removed_by=hr_admin)
    check("removed")
    # An account holding a cohort attempt from before the rule that forbids it.
    bo = Participant.objects.get(email="bo@example.com")
    Attempt.objects.create(bank_version=cohort.bank_version, participant=bo, user=participant)
    progress.progress_recount(cohort.pk, [bo.team_id])
    user_data_delete(user=participant)
    check("deleted their account")

    assert dict(steps) == {
        "imported": {"EMEA sales": (1, 0, 0, 0), "New team": (1, 0, 0, 0)},
        "added": {"EMEA sales": (2, 0, 0, 0), "New team": (1, 0, 0, 0)},
        "invitations queued": {"EMEA sales": (2, 0, 0, 0), "New team": (1, 0, 0, 0)},
        "invitations failed": {"EMEA sales": (2, 0, 0, 0), "New team": (1, 0, 0, 0)},
        "invitations sent": {"EMEA sales": (2, 2, 0, 0), "New team": (1, 1, 0, 0)},
        "joined": {"EMEA sales": (3, 3, 0, 0), "New team": (1, 1, 0, 0)},
        "team confirmed": {"EMEA sales": (3, 3, 0, 0), "New team": (1, 1, 0, 0)},
        "started": {"EMEA sales": (3, 3, 1, 0), "New team": (1, 1, 0, 0)},
        "submitted": {"EMEA sales": (3, 3, 0, 1), "New team": (1, 1, 0, 0)},
        "another started": {"EMEA sales": (3, 3, 1, 1), "New team": (1, 1, 0, 0)},
        "deleted their data": {"EMEA sales": (2, 2, 0, 1), "New team": (1, 1, 0, 0)},
        "removed": {"EMEA sales": (1, 1, 0, 1), "New team": (1, 1, 0, 0)},
        # Bo left: the team has nobody, so HR's page has no row for it.
        "deleted their account": {"EMEA sales": (1, 1, 0, 1)},
    }


def test_the_check_sees_a_wrong_stored_figure_and_the_rebuild_mends_it(cohort):
    emea = cohort.teams.get(name="EMEA sales")
    participant_services.participant_add(
        cohort=cohort, name="Ada", email="ada@example.com", team=emea
    )
    assert attempt_problems() == []
    TeamProgress.objects.filter(cohort=cohort, team=emea).update(invited=1)
    assert attempt_problems() == ["1 teams whose stored progress is not what their people say"]
    call_command("rebuild_progress", verbosity=0)
    assert progress_mismatches() == []
    assert figures(cohort) == {"EMEA sales": (1, 0, 0, 0)}


def test_a_figure_stored_for_a_team_nobody_is_in_must_be_zero(cohort):
    emea = cohort.teams.get(name="EMEA sales")
    TeamProgress.objects.create(cohort=cohort, team=emea, people=2)
    assert len(progress_mismatches()) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_invitation_sent_while_someone_of_the_team_submits_is_counted(cohort, hr_admin):
    """Submits queue on the cohort's lock, but sending emails does not take
    it: while one person's submit is counting their team, an invitation to
    another reaches them. The sender's recount must wait for the team's row
    and then count both, or the submit would store a count without it."""
    emea = cohort.teams.get(name="EMEA sales")
    ada, bo = (
        participant_services.participant_add(
            cohort=cohort, name=name, email=f"{name}@example.com", team=emea
        )
        for name in ("ada", "bo")
    )
    attempt = participant_services.participant_attempt(participant=ada)
    answer_all(attempt, 4)
    with mock.patch.object(outbox, "enqueue_send"):  # no worker: send() below is the worker
        outbox.participant_invitation_queue(participant=bo, queued_by=hr_admin, link="http://x/")
    counting, release = threading.Event(), threading.Event()
    real_count = progress.counted_by_team

    def held_count(people):
        counts = real_count(people)
        if not counting.is_set():
            counting.set()
            release.wait(10)
        return counts

    def send():
        assert counting.wait(10)
        return outbox.emails_send_batch(cohort=cohort)

    def releaser() -> bool:
        waited = someone_waits_for_a_lock()
        release.set()
        return waited

    with mock.patch.object(progress, "counted_by_team", side_effect=held_count):
        submitted, sent, waited = _in_threads(
            lambda: services.attempt_submit(attempt=attempt), send, releaser
        )
    assert not isinstance(submitted, Exception) and not isinstance(sent, Exception)
    assert waited
    assert progress_mismatches() == []
    assert figures(cohort)["EMEA sales"] == (2, 2, 0, 1)
    connection.close()


def test_hr_page_reads_the_stored_figures(client, hr_admin, cohort):
    emea = cohort.teams.get(name="EMEA sales")
    participant_services.participant_add(
        cohort=cohort, name="Ada", email="ada@example.com", team=emea
    )
    TeamProgress.objects.filter(cohort=cohort, team=emea).update(people=7, invited=5, completed=3)
    client.force_login(hr_admin)
    page = client.get(reverse("cohorts:detail", args=[cohort.pk])).text
    assert "7 people in the cohort, 5 invited" in page
    assert OutboundEmail.objects.count() == 0
