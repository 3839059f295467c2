"""Keeping the dashboards' running totals (ScoreTally) in step with results."""

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Floor
from django.utils import timezone

from assessments.dashboards.disclosure import release_step, released_means
from assessments.models import (
    OVERALL,
    Attempt,
    Cohort,
    DimensionScore,
    Participant,
    Release,
    ReleasedMean,
    Result,
    ScoreTally,
    Team,
)

TALLY_FIELDS = ("count", "total", "total_sq")


def bucket_of(score: float) -> int:
    return min(100, math.floor(score))


def counted(participant: Participant) -> bool:
    """Whether a participant's result belongs in their team's figures: their
    team is confirmed by HR, and they never showed their result by name."""
    return participant.team_confirmed and participant.shared_at is None


def counted_participants() -> Q:
    """The same rule as ``counted``, as a filter on participants."""
    return Q(team_confirmed=True, shared_at__isnull=True)


def tallies_add(
    *, cohort_id: int, team_id: int, scores: Mapping[str, float], sign: int = 1
) -> None:
    """Add one result's scores (measure -> score) to its team's live tallies,
    or take them away with ``sign=-1``. An addition then publishes the team's
    figures if enough new people have completed; a removal never does.
    Runs inside the caller's transaction."""
    # One change at a time per team, so the count that decides a publication
    # is exact.
    Team.objects.select_for_update().filter(pk=team_id).first()
    for measure, score in scores.items():
        key = {
            "cohort_id": cohort_id,
            "team_id": team_id,
            "measure": measure,
            "bucket": bucket_of(score),
        }
        change = {
            "count": F("count") + sign,
            "total": F("total") + sign * score,
            "total_sq": F("total_sq") + sign * score * score,
        }
        if ScoreTally.objects.filter(**key).update(**change) or sign < 0:
            continue
        try:
            with transaction.atomic():
                ScoreTally.objects.create(**key, count=1, total=score, total_sq=score * score)
        except IntegrityError:  # another submission created the row meanwhile
            ScoreTally.objects.filter(**key).update(**change)
    if sign > 0:
        publish_if_due(cohort_id=cohort_id, team_id=team_id)


def unpublished(*, cohort_id: int, team_id: int):
    """Counted people of a team whose results are in the live tallies but in
    no publication yet."""
    return Participant.objects.filter(
        counted_participants(),
        cohort_id=cohort_id,
        team_id=team_id,
        published_at__isnull=True,
        attempt__status=Attempt.Status.SUBMITTED,
    )


def publish_if_due(*, cohort_id: int, team_id: int, now: datetime | None = None) -> bool:
    """Release a team's figures once at least the cohort's minimum group
    size of counted people have completed since its last release: a new
    ``Release`` holding exactly them, with each measure's mean over them
    rounded once (``disclosure.release_step``).

    Only new completions count. A deletion, a share, a settings change, a
    team leaving or a cohort closing releases nothing, and a release is never
    changed: each person's result is in one rounded mean, and every figure
    shown is worked out from releases, so no reading, before or after any
    action, adds a second window on anyone.
    """
    minimum = Cohort.objects.values_list("min_group_size", flat=True).get(pk=cohort_id)
    people = list(unpublished(cohort_id=cohort_id, team_id=team_id).values_list("pk", flat=True))
    if len(people) < minimum:
        return False
    step = release_step(len(people), minimum)
    dimensions = {
        row["key"]: row["mean"]
        for row in DimensionScore.objects.filter(result__attempt__participant__in=people)
        .values(key=F("dimension__key"))
        .annotate(mean=Avg("score"))
    }
    means = released_means(dimensions, step)
    moment = now or timezone.now()
    release = Release.objects.create(
        cohort_id=cohort_id, team_id=team_id, released_at=moment, count=len(people), step=step
    )
    ReleasedMean.objects.bulk_create(
        ReleasedMean(release=release, measure=measure, mean=mean) for measure, mean in means.items()
    )
    Participant.objects.filter(pk__in=people).update(published_at=moment, release=release)
    Cohort.objects.filter(pk=cohort_id).update(figures_version=F("figures_version") + 1)
    return True


def result_scores(result: Result) -> dict[str, float]:
    scores = dict(result.scores.values_list("dimension__key", "score"))
    return {OVERALL: result.overall, **scores}


def _bucket_sums(results: QuerySet[Result]) -> Iterator[Mapping[str, Any]]:
    """Count, sum and sum of squares per cohort (c), team (t), measure (m)
    and whole-point bucket (b) of these results, overall and per dimension,
    summed by the database."""
    overall = results.values(
        c=F("attempt__participant__cohort"), t=F("attempt__participant__team")
    ).annotate(m=Value(OVERALL), b=Floor("overall"), v=F("overall"))
    dimensions = (
        DimensionScore.objects.filter(result__in=results)
        .values(
            c=F("result__attempt__participant__cohort"),
            t=F("result__attempt__participant__team"),
            m=F("dimension__key"),
        )
        .annotate(b=Floor("score"), v=F("score"))
    )
    for groups in (overall, dimensions):
        yield from groups.values("c", "t", "m", "b").annotate(
            n=Count("pk"), total=Sum("v"), total_sq=Sum(F("v") * F("v"))
        )


def tallies_rebuild() -> int:
    """Recount every live tally from the stored results, grouped by the
    database. For ``manage.py rebuild_tallies``, after a fault. Releases are
    not touched: they are what was shown, and re-rounding anyone would be a
    second window on them."""
    ScoreTally.objects.all().delete()
    base = Result.objects.filter(
        attempt__participant__team_confirmed=True,
        attempt__participant__shared_at__isnull=True,
    )
    rows: dict[tuple, dict[str, float]] = defaultdict(lambda: dict.fromkeys(TALLY_FIELDS, 0))
    for row in _bucket_sums(base):
        entry = rows[(row["c"], row["t"], row["m"], min(100, int(row["b"])))]
        entry["count"] += row["n"]
        entry["total"] += row["total"]
        entry["total_sq"] += row["total_sq"]
    ScoreTally.objects.bulk_create(
        [
            ScoreTally(cohort_id=c, team_id=t, measure=m, bucket=b, **values)
            for (c, t, m, b), values in rows.items()
        ],
        batch_size=1000,
    )
    return len(rows)
