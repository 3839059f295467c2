"""Submitting: all or nothing, once, and a result that never changes afterwards."""

import copy
from unittest import mock

import pytest
from django.db import DatabaseError, transaction

from assessments.banks.services import bank_import
from assessments.content import scoring
from assessments.models import Attempt, DimensionScore, Response, Result
from assessments.taking import services
from tests.helpers import answer_all, submitted_result


def test_submit_stores_the_scores_with_the_bank_and_scoring_versions(bank_version):
    result = submitted_result(bank_version, value=lambda item: 5 if item.pole == "leader" else 1)
    assert result.overall == 100
    assert result.band == "leader"
    assert result.bank_version == bank_version
    assert result.scoring_version == scoring.SCORING_VERSION
    assert {s.dimension.key: s.score for s in result.scores.all()} == {
        "status_quo": 100,
        "commitment": 100,
        "disapproval": 100,
    }
    assert result.attempt.status == Attempt.Status.SUBMITTED
    assert result.attempt.submitted_at is not None


def test_agreeing_with_everything_lands_in_the_middle(bank_version):
    result = submitted_result(bank_version, value=5)
    assert result.overall == 50
    assert set(result.scores.values_list("score", flat=True)) == {50}


def test_submitting_twice_stores_one_result(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    answer_all(attempt)
    first = services.attempt_submit(attempt=attempt)
    second = services.attempt_submit(attempt=attempt)
    assert first == second
    assert Result.objects.count() == 1
    assert DimensionScore.objects.count() == 3


def test_an_incomplete_attempt_is_not_scored(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    first = bank_version.items.first()
    services.responses_save(attempt=attempt, answers={first.pk: 3})
    with pytest.raises(services.IncompleteAttempt) as error:
        services.attempt_submit(attempt=attempt)
    assert len(error.value.missing) == 23
    assert not Result.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_a_failure_half_way_through_submit_stores_nothing(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    answer_all(attempt)
    with (
        mock.patch.object(DimensionScore.objects, "bulk_create", side_effect=DatabaseError),
        pytest.raises(DatabaseError),
    ):
        services.attempt_submit(attempt=attempt)
    assert not Result.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_answers_with_one_bad_value_store_nothing(bank_version):
    attempt = services.attempt_start(bank_version=bank_version, user=None)
    items = list(bank_version.items.all()[:3])
    with pytest.raises(services.AttemptError):
        services.responses_save(
            attempt=attempt, answers={items[0].pk: 3, items[1].pk: 4, items[2].pk: 7}
        )
    assert not Response.objects.exists()


def test_answers_for_a_submitted_attempt_are_refused(bank_version):
    result = submitted_result(bank_version)
    item = bank_version.items.first()
    with pytest.raises(services.AttemptError, match="already been submitted"):
        services.responses_save(attempt=result.attempt, answers={item.pk: 1})
    with pytest.raises(DatabaseError), transaction.atomic():
        Response.objects.filter(attempt=result.attempt).update(value=1)
    assert not result.attempt.responses.filter(value=1).exists()


def test_the_database_refuses_to_change_a_stored_result(bank_version):
    result = submitted_result(bank_version)
    with pytest.raises(DatabaseError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(overall=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        DimensionScore.objects.filter(result=result).update(score=1)
    result.refresh_from_db()
    assert result.overall == 50  # every answer 4: agreeing with all lands in the middle


def test_a_result_stays_the_same_after_its_bank_gets_a_new_version(bank_version, bank_data):
    result = submitted_result(bank_version, value=lambda item: 5 if item.pole == "leader" else 2)
    before = (result.overall, result.band, list(result.scores.values_list("score", flat=True)))

    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    for entry in data["items"]:
        entry["pole"] = "seller" if entry["pole"] == "leader" else "leader"
    new_version, _ = bank_import(data=data)

    result = Result.objects.get(pk=result.pk)
    after = (result.overall, result.band, list(result.scores.values_list("score", flat=True)))
    assert after == before
    assert result.bank_version == bank_version
    assert new_version != bank_version


def test_a_claim_gives_only_anonymous_attempts_to_the_person(bank_version, participant, outsider):
    anonymous = services.attempt_start(bank_version=bank_version, user=None)
    theirs = services.attempt_start(bank_version=bank_version, user=outsider)
    claimed = services.attempts_claim(user=participant, attempt_ids=[anonymous.pk, theirs.pk])
    assert claimed == 1
    anonymous.refresh_from_db()
    theirs.refresh_from_db()
    assert anonymous.user == participant
    assert theirs.user == outsider
