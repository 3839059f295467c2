"""Small builders for tests: an attempt with answers, a submitted result;
and the row counts that show bad input stored nothing."""

import re
import time
from collections.abc import Callable

from django.db import connection

from assessments.content import scoring
from assessments.models import (
    Attempt,
    Bank,
    BankVersion,
    Cohort,
    DimensionScore,
    Item,
    ManagerInvitation,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Response,
    Result,
    ResultShare,
    Team,
    TeamManager,
    with_options,
)
from assessments.taking import services
from assessments.taking.selectors import page_of_items


def answer_all(attempt: Attempt, value: int | Callable[[Item], int] = 4) -> dict[int, int]:
    items = attempt.bank_version.items.all()
    answers = {item.pk: value(item) if callable(value) else value for item in items}
    services.responses_save(attempt=attempt, answers=answers)
    return answers


def submitted_result(version: BankVersion, user=None, value: int | Callable = 4) -> Result:
    attempt = services.attempt_start(bank_version=version, user=user)
    answer_all(attempt, value)
    return services.attempt_submit(attempt=attempt)


def page_answers(attempt: Attempt, number: int, value: int = 4) -> dict[str, int]:
    """Form data answering every question on one page, in the attempt's order."""
    page = page_of_items(attempt, number)
    assert page is not None, f"the attempt has no page {number}"
    return {f"item_{item.pk}": value for item in page.items}


def add_people(cohort, team, count: int, prefix: str = "person") -> list:
    """``count`` participants of one team, for tests of counts and thresholds."""
    from assessments.cohorts.progress import progress_recount
    from assessments.models import Participant

    people = Participant.objects.bulk_create(
        Participant(
            cohort=cohort, team=team, name=f"{prefix} {i}", email=f"{prefix}{i}@example.com"
        )
        for i in range(count)
    )
    progress_recount(cohort.pk, [team.pk])  # as the services that add people do
    return people


def complete(participant, value=4) -> Result:
    """Take and submit the assessment as an invited participant."""
    from assessments.cohorts.participants import participant_attempt

    attempt = participant_attempt(participant=participant)
    answer_all(attempt, value)
    return services.attempt_submit(attempt=attempt)


COUNTED = (
    Attempt,
    Bank,
    BankVersion,
    Cohort,
    DimensionScore,
    ManagerInvitation,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Response,
    Result,
    ResultShare,
    Team,
    TeamManager,
)


def counts() -> dict[str, int]:
    """Rows of every table bad input could reach, to show it stored nothing."""
    return {model.__name__: model.objects.count() for model in COUNTED}


def someone_waits_for_a_lock(timeout: float = 10) -> bool:
    """Whether, within ``timeout`` seconds, another connection waits for a
    row lock (PostgreSQL): the race a test set up is on."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def found(pattern: str | re.Pattern[str], text: str) -> re.Match[str]:
    """``re.search``, failing the test when nothing matches."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} is not in the text"
    return match


def bulk_results(version, count: int, seed: int = 1, participants=None) -> list[Attempt]:
    """``count`` submitted attempts with answers from people who share a trait
    per difference, written straight to the tables: what item statistics
    read, at a size the services would take minutes to reach."""
    import random

    from django.utils import timezone

    rng = random.Random(seed)
    items = with_options(list(version.items.order_by("order")))
    attempts = Attempt.objects.bulk_create(
        Attempt(bank_version=version, participant=None if participants is None else participants[i])
        for i in range(count)
    )
    responses, results = [], []
    dimensions = sorted({item.dimension_id for item in items})
    for attempt in attempts:
        trait = {dim: rng.gauss(0, 1) for dim in dimensions}
        answers = []
        for item in items:
            if item.is_attention:  # answered as asked, and never scored
                assert item.expected is not None
                responses.append(Response(attempt=attempt, item=item, value=item.expected))
                continue
            if item.is_scenario:  # the response placed nearest where the person leans
                place = 50 + 25 * (trait[item.dimension_id] + rng.gauss(0, 0.9))
                value = min(
                    item.options.all(), key=lambda option: abs(option.position - place)
                ).order
            else:
                lean = trait[item.dimension_id] * (1 if item.pole == scoring.LEADER else -1)
                value = min(5, max(1, round(3 + lean + rng.gauss(0, 0.9))))
            responses.append(Response(attempt=attempt, item=item, value=value))
            position = item.options.all()[value - 1].position if item.is_scenario else None
            answers.append(scoring.Answer(str(item.dimension_id), item.pole, value, position))
        # The overall score as the scoring model gives it (dimension scores
        # are not written: nothing that reads these results uses them).
        scores = scoring.score(answers, [str(dim) for dim in dimensions])
        results.append(
            Result(
                attempt=attempt,
                bank_version=version,
                scoring_version=scores.version,
                overall=scores.overall,
                band=scores.band().key,
            )
        )
    Response.objects.bulk_create(responses)
    # Submitted once answered, as attempt_submit does (the database then
    # refuses any change to the answers).
    Attempt.objects.filter(pk__in=[a.pk for a in attempts]).update(
        status=Attempt.Status.SUBMITTED, submitted_at=timezone.now()
    )
    Result.objects.bulk_create(results)
    return attempts
