"""Writes that touch several rows: each is one transaction, all or nothing."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from uuid import UUID

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.cohorts.progress import progress_recount
from assessments.content import measurement, scoring
from assessments.dashboards.tallies import counted, tallies_add
from assessments.exceptions import ServiceError
from assessments.models import (
    OVERALL,
    Attempt,
    BankVersion,
    Cohort,
    Dimension,
    DimensionScore,
    Item,
    Participant,
    Response,
    Result,
    new_order_seed,
)
from assessments.taking.selectors import version_items


class AttemptError(ServiceError):
    """An attempt cannot take this action; the message is for the person."""


class IncompleteAttempt(AttemptError):
    def __init__(self, missing: list[Item]) -> None:
        self.missing = missing
        super().__init__(
            ngettext(
                "%(count)s question still needs an answer.",
                "%(count)s questions still need an answer.",
                len(missing),
            )
            % {"count": len(missing)}
        )


class CohortClosed(AttemptError):
    """The attempt's cohort stopped taking answers; the person gets its closed page."""

    def __init__(self, cohort: Cohort) -> None:
        self.cohort = cohort
        super().__init__(
            _("%(cohort)s is not taking answers any more, so nothing was saved.")
            % {"cohort": cohort.name}
        )


def _require_cohort_accepting(attempt: Attempt) -> None:
    """A cohort's answers are frozen once it closes."""
    if attempt.participant_id is None:
        return
    # Locked, so a cohort closing at this moment waits for this transaction
    # or this transaction sees it closed.
    cohort = Cohort.objects.select_for_update().get(participants=attempt.participant_id)
    if not cohort.is_accepting():
        raise CohortClosed(cohort)


def attempt_start(*, bank_version: BankVersion, user: User | AnonymousUser | None) -> Attempt:
    owner = user if user is not None and user.is_authenticated else None
    return Attempt.objects.create(
        bank_version=bank_version, user=owner, order_seed=new_order_seed(bank_version)
    )


@transaction.atomic
def responses_save(*, attempt: Attempt, answers: Mapping[int, int]) -> None:
    """Store answers (item id -> value) for an attempt in progress.

    Items must belong to the attempt's bank version and values must be on
    the Likert scale, or a response of the scenario; otherwise nothing is
    stored.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptError(_("This assessment has already been submitted."))
    _require_cohort_accepting(attempt)
    if not answers:  # nothing to store, so nothing changes, not even the time
        return
    items = Item.objects.filter(version_id=attempt.bank_version_id, pk__in=answers).order_by()
    rows = items.annotate(choices=Count("options")).values_list("pk", "kind", "choices")
    _responses_store(
        attempt,
        answers,
        {pk: choices if kind == Item.Kind.SCENARIO else None for pk, kind, choices in rows},
    )
    Attempt.objects.filter(pk=attempt.pk).update(updated_at=timezone.now())


def _choices(items: list[Item]) -> dict[int, int | None]:
    """Item id -> how many responses a scenario has; None for a statement."""
    return {item.pk: len(item.options.all()) if item.is_scenario else None for item in items}


def _responses_store(
    attempt: Attempt, answers: Mapping[int, int], items: Mapping[int, int | None]
) -> None:
    """Check answers against the version's ``items`` (id -> a scenario's
    number of responses, None for a statement) and store them; the caller
    holds the attempt's lock."""
    if set(answers) - set(items):
        raise AttemptError(
            _("Some answers are for questions that are not part of this assessment.")
        )
    for item_id, value in answers.items():
        responses = items[item_id]
        if isinstance(value, bool) or not isinstance(value, int):
            raise AttemptError(_("Each answer must be a whole number."))
        if responses is None and not scoring.LIKERT_MIN <= value <= scoring.LIKERT_MAX:
            raise AttemptError(
                _("Each answer must be from %(lowest)s to %(highest)s.")
                % {"lowest": scoring.LIKERT_MIN, "highest": scoring.LIKERT_MAX}
            )
        if responses is not None and not 1 <= value <= responses:
            raise AttemptError(
                _("A scenario's answer must be one of its %(count)s responses.")
                % {"count": responses}
            )
    Response.objects.bulk_create(
        [
            Response(attempt=attempt, item_id=item_id, value=value)
            for item_id, value in answers.items()
        ],
        update_conflicts=True,
        unique_fields=["attempt", "item"],
        update_fields=["value", "answered_at"],
    )


def _version_items(attempt: Attempt) -> list[Item]:
    """Every item of the attempt's version, with its dimension and, for a
    scenario, its responses (read once per process for a published version)."""
    return version_items(attempt.bank_version_id)


def _score(
    attempt: Attempt, items: list[Item] | None = None
) -> tuple[scoring.Scores, dict[str, Dimension], measurement.Consistency]:
    """The attempt's scores, by the pure scoring model, and whether its
    answers can be read as positions; refused while any item of its bank
    version is unanswered. ``items`` are the version's, if already read."""
    items = _version_items(attempt) if items is None else items
    values = dict(attempt.responses.order_by().values_list("item_id", "value"))
    missing = [item for item in items if item.pk not in values]
    if missing:
        raise IncompleteAttempt(missing)
    # An attention check is never scored; answered otherwise than it asks,
    # it marks the whole result as careless.
    scored = [item for item in items if item.is_scored]
    careless = any(values[item.pk] != item.expected for item in items if item.is_attention)
    dimensions = {item.dimension.key: item.dimension for item in scored}
    answers = [_answer(item, values[item.pk]) for item in scored]
    scores = scoring.score(
        answers, dimensions=sorted(dimensions, key=lambda key: dimensions[key].order)
    )
    return scores, dimensions, measurement.consistency(answers, careless=careless)


def _answer(item: Item, value: int) -> scoring.Answer:
    if not item.is_scenario:
        return scoring.Answer(item.dimension.key, item.pole, value)
    positions = {option.order: option.position for option in item.options.all()}
    return scoring.Answer(item.dimension.key, "", value, position=positions[value])


def _result_store(
    attempt: Attempt,
    scores: scoring.Scores,
    dimensions: dict[str, Dimension],
    consistency: measurement.Consistency,
    now: datetime,
) -> Result:
    """The result with how precise it is as worked out now, kept with it: a
    later estimate of the bank's precision never changes a result given.
    Every bank uses the stated prior until its own data is used (docs/
    psychometrics.md)."""
    precision = measurement.PRIOR
    unclear = consistency.reason
    result = Result.objects.create(
        attempt=attempt,
        bank_version_id=attempt.bank_version_id,
        scoring_version=scores.version,
        overall=scores.overall,
        band=scores.band().key,
        created_at=now,
        margin=measurement.of_mean(precision, len(scores.dimensions)).margin,
        precision_source=precision.source,
        unclear=unclear,
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(
            result=result,
            dimension=dimensions[key],
            score=value,
            band=scoring.band_for(value).key,
            margin=precision.margin,
            unclear=consistency.unclear(key),
        )
        for key, value in scores.dimensions.items()
    )
    return result


@transaction.atomic
def attempt_submit(*, attempt: Attempt, now: datetime | None = None) -> Result:
    """Score an attempt and store its result, exactly once.

    A second submit of the same attempt (a double click, a resent form)
    returns the stored result and writes nothing. ``now`` is for demo data
    and imports that record when something really happened.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    existing = Result.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    _require_cohort_accepting(attempt)
    return _submit_locked(attempt, now or timezone.now())


def _submit_locked(attempt: Attempt, now: datetime, items: list[Item] | None = None) -> Result:
    """The submit itself, for a caller that holds the attempt's lock and the
    cohort's, and has found no result yet."""
    scores, dimensions, consistency = _score(attempt, items)
    result = _result_store(attempt, scores, dimensions, consistency, now)
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = now
    attempt.save(update_fields=["status", "submitted_at", "updated_at"])
    if attempt.participant_id is not None:
        participant = Participant.objects.get(pk=attempt.participant_id)
        if counted(participant):
            tallies_add(
                cohort_id=participant.cohort_id,
                team_id=participant.team_id,
                scores={OVERALL: scores.overall, **scores.dimensions},
            )
        progress_recount(participant.cohort_id, [participant.team_id])
    return result


def attempt_finish(*, attempt: Attempt, answers: Mapping[int, int]) -> Result:
    """Store the last page's answers and submit the attempt, in one transaction.

    The rule when a cohort closes at the same moment: whichever takes the
    cohort's lock first wins. If the close got in first, this raises
    CohortClosed and stores nothing, the last page's answers included; if
    the submit got in first, the close waits for it and the result lands.
    Two submits of one attempt at once (two tabs, a resent form) both get
    the one stored result: the second waits for the attempt's lock, finds
    the result and writes nothing, whatever answers it carried.
    """
    with transaction.atomic():
        # One lock, one look for a result and one read of the items serve
        # both halves: the submit is the request people wait on most.
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        # A result is stored in the same transaction that marks its attempt
        # submitted (_submit_locked), so only a submitted attempt has one to
        # look for; were that ever not so, the result's unique attempt would
        # refuse a second, not store it.
        if attempt.status != Attempt.Status.IN_PROGRESS:
            existing = Result.objects.filter(attempt=attempt).first()
            if existing is not None:
                return existing
            raise AttemptError(_("This assessment has already been submitted."))
        _require_cohort_accepting(attempt)
        items = _version_items(attempt)
        _responses_store(attempt, answers, _choices(items))
        try:
            return _submit_locked(attempt, timezone.now(), items)
        except IncompleteAttempt as error:
            Attempt.objects.filter(pk=attempt.pk).update(updated_at=timezone.now())
            incomplete = error
    # Raised once the transaction has committed, so the page's answers stay
    # while the person goes back to the questions they skipped.
    raise incomplete


@transaction.atomic
def attempts_claim(*, user: User, attempt_ids: Iterable[str | UUID]) -> int:
    """Give anonymous attempts made in this browser to the person who just signed in.

    Only attempts taken on one's own: a cohort attempt belongs to its personal
    link, and whoever opened that link in this browser (a colleague at a
    shared desk, say) must not get its answers, or the power to delete them,
    by signing in here.
    """
    return Attempt.objects.filter(
        pk__in=list(attempt_ids), user__isnull=True, participant__isnull=True
    ).update(user=user)
