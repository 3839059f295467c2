"""Keeping the dashboards' running totals (ScoreTally) in step with results."""

import math
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Floor

from ..models import OVERALL, DimensionScore, Result, ScoreTally


def bucket_of(score: float) -> int:
    return min(100, math.floor(score))


def tallies_add(
    *, cohort_id: int, team_id: int, scores: Mapping[str, float], sign: int = 1
) -> None:
    """Add one result's scores (measure -> score) to its team's tallies, or
    take them away with ``sign=-1``. Runs inside the caller's transaction."""
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


def result_scores(result: Result) -> dict[str, float]:
    scores = dict(result.scores.values_list("dimension__key", "score"))
    return {OVERALL: result.overall, **scores}


def tallies_rebuild(tally_model=ScoreTally, result_model=Result, score_model=DimensionScore) -> int:
    """Recount every tally from the stored results, grouped by the database.

    For a migration or a repair (``manage.py rebuild_tallies``); models can be
    passed in so a migration uses its historical ones.
    """
    tally_model.objects.all().delete()
    sums = {"count": Count("pk"), "total": Sum("value"), "total_sq": Sum(F("value") * F("value"))}
    overall = (
        result_model.objects.filter(attempt__participant__isnull=False)
        .annotate(value=F("overall"))
        .values(c=F("attempt__participant__cohort"), t=F("attempt__participant__team"))
        .annotate(b=Floor("overall"))
        .values("c", "t", "b")
        .annotate(**sums)
    )
    dimensions = (
        score_model.objects.filter(result__attempt__participant__isnull=False)
        .annotate(value=F("score"))
        .values(
            c=F("result__attempt__participant__cohort"),
            t=F("result__attempt__participant__team"),
            m=F("dimension__key"),
        )
        .annotate(b=Floor("score"))
        .values("c", "t", "m", "b")
        .annotate(**sums)
    )
    rows: dict[tuple, dict] = {}
    for measure_rows, fixed in ((overall, OVERALL), (dimensions, None)):
        for row in measure_rows:
            key = (row["c"], row["t"], fixed or row["m"], min(100, int(row["b"])))
            entry = rows.setdefault(key, {"count": 0, "total": 0.0, "total_sq": 0.0})
            for name in ("count", "total", "total_sq"):
                entry[name] += row[name]
    tally_model.objects.bulk_create(
        [
            tally_model(cohort_id=c, team_id=t, measure=m, bucket=b, **values)
            for (c, t, m, b), values in rows.items()
        ],
        batch_size=1000,
    )
    return len(rows)
