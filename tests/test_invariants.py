"""What must hold in the database whatever people do: every submitted attempt stored
once and whole (one answer per item, one result, one score per dimension), nothing
else with a result, no answer outside the attempt's bank.

The check is bench/invariants.py, the one the load, fault and two-server benchmarks
run after their runs; here it runs after the app's own services, on their happy,
failing and concurrent paths, and against broken rows to show that it sees them.
"""

import threading
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection, connections

from assessments.content import scoring
from assessments.models import Attempt, DimensionScore, Response, Result
from assessments.taking import services
from assessments.taking.selectors import PAGE_SIZE
from bench.invariants import AttemptRecord, attempt_problems, compare_with_clients
from tests.helpers import answer_all, someone_waits_for_a_lock, submitted_result

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL"
)


def _last_page(attempt: Attempt, value: int) -> dict[int, int]:
    items = attempt.bank_version.items.order_by("order")
    return {item.pk: value for item in items[items.count() - PAGE_SIZE :]}


def _all_but_the_last_page(attempt: Attempt) -> None:
    items = attempt.bank_version.items.order_by("order")
    earlier = items[: items.count() - PAGE_SIZE]
    services.responses_save(attempt=attempt, answers={item.pk: 4 for item in earlier})


def test_a_submitted_attempt_is_stored_whole(bank_version):
    result = submitted_result(bank_version)
    assert Response.objects.filter(attempt=result.attempt).count() == 24
    assert result.scores.count() == 3
    assert attempt_problems() == []


# Each breakage is one the check must report, so that a clean report means something.
BREAKAGES: dict[str, Callable[[Result], object]] = {
    "1 submitted attempts without one answer per item of their bank": (
        lambda result: Response.objects.filter(attempt=result.attempt)[0].delete()
    ),
    "1 results without one score per dimension of their bank": (
        lambda result: result.scores.all()[0].delete()
    ),
    "1 submitted attempts without a result": lambda result: result.delete(),
    "1 attempts in progress with a result": (
        lambda result: Attempt.objects.update(status=Attempt.Status.IN_PROGRESS)
    ),
}


@pytest.mark.parametrize("problem", BREAKAGES)
def test_the_check_reports_a_broken_attempt(bank_version, problem):
    submitted_result(bank_version)
    BREAKAGES[problem](Result.objects.get())
    assert attempt_problems() == [problem]


def test_a_submit_sent_again_stores_nothing_more(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    _all_but_the_last_page(attempt)
    first = services.attempt_finish(attempt=attempt, answers=_last_page(attempt, 4))
    again = services.attempt_finish(attempt=attempt, answers=_last_page(attempt, 1))
    assert again.token == first.token
    assert (Result.objects.count(), DimensionScore.objects.count()) == (1, 3)
    assert set(Response.objects.values_list("value", flat=True)) == {4}
    assert attempt_problems() == []


def test_an_incomplete_submit_stores_no_result(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    with pytest.raises(services.IncompleteAttempt):
        services.attempt_finish(attempt=attempt, answers=_last_page(attempt, 4))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert not Result.objects.exists()
    assert attempt_problems() == []


def test_a_page_with_one_bad_answer_stores_none_of_it(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    _all_but_the_last_page(attempt)
    answers = _last_page(attempt, 4)
    answers[next(iter(answers))] = scoring.LIKERT_MAX + 1
    with pytest.raises(services.AttemptError):
        services.attempt_finish(attempt=attempt, answers=answers)
    assert Response.objects.count() == 24 - PAGE_SIZE
    assert attempt_problems() == []


def test_a_failure_while_storing_the_scores_leaves_the_attempt_in_progress(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    answer_all(attempt)
    with (
        mock.patch.object(DimensionScore.objects, "bulk_create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert not Result.objects.exists()
    assert attempt_problems() == []
    services.attempt_submit(attempt=attempt)
    assert attempt_problems() == []


def _in_threads(*targets: Callable[[], object]) -> list[object]:
    """Run each target on its own connection at once; their results (or errors)."""
    out: list[object] = [None] * len(targets)

    def run(index: int) -> None:
        try:
            out[index] = targets[index]()
        except Exception as error:  # noqa: BLE001 (handed to the test to check)
            out[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return out


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_store_one_result(bank_version):
    """The second submit arrives while the first is scoring, holding the attempt's lock."""
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    _all_but_the_last_page(attempt)
    scoring_started, release = threading.Event(), threading.Event()
    real_score = scoring.score

    def slow_score(*args, **kwargs):
        scoring_started.set()
        release.wait(10)
        return real_score(*args, **kwargs)

    def finish(value: int) -> Callable[[], Result]:
        return lambda: services.attempt_finish(attempt=attempt, answers=_last_page(attempt, value))

    def second() -> Result:
        assert scoring_started.wait(10)
        return finish(1)()

    def releaser() -> bool:
        waited = someone_waits_for_a_lock()
        release.set()
        return waited

    with mock.patch.object(scoring, "score", side_effect=slow_score):
        first, again, waited = _in_threads(finish(4), second, releaser)
    assert waited
    assert isinstance(first, Result), first
    assert isinstance(again, Result), again
    assert again.token == first.token
    assert set(Response.objects.values_list("value", flat=True)) == {4}
    assert attempt_problems() == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_one_page_at_once_store_one_answer_per_item(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    barrier = threading.Barrier(2)

    def save(value: int) -> Callable[[], None]:
        def run() -> None:
            barrier.wait(10)
            services.responses_save(attempt=attempt, answers=_last_page(attempt, value))

        return run

    assert _in_threads(save(2), save(5)) == [None, None]
    values = set(Response.objects.values_list("value", flat=True))
    assert Response.objects.count() == PAGE_SIZE
    assert values in ({2}, {5})
    assert attempt_problems() == []


def test_the_bench_compares_the_database_with_what_its_clients_saw(bank_version):
    """bench/load.py exits 1 on these problems: each must be seen."""
    result = submitted_result(bank_version, value=3)
    answers = dict(result.attempt.responses.values_list("item_id", "value"))
    sent = AttemptRecord(str(result.attempt_id), answers, result.token, True, True)

    def problems(records: list[AttemptRecord], exact: bool = True) -> list[str]:
        # The benchmarks close every connection around the check; a test keeps its own.
        with mock.patch.object(connections, "close_all"):
            return compare_with_clients(records, exact)[1]

    assert problems([sent]) == []
    sent.token = "another"
    assert problems([sent]) == ["1 result tokens not their attempt's"]
    sent.token, sent.answers = result.token, {**answers, next(iter(answers)): 4}
    assert problems([sent]) == ["1 finished attempts whose answers differ from those sent"]
    lost = AttemptRecord("00000000-0000-0000-0000-000000000000", final_post_answered=True)
    assert "1 submits answered with a result and not stored" in problems([lost], exact=False)
    assert "1 stored, their start not seen" in problems([lost], exact=True)
