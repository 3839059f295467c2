"""Keeping the dashboards' running totals (ScoreTally) in step with results."""

import math
from collections import defaultdict
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Floor

from ..models import OVERALL, Cohort, DimensionScore, Result, ScoreTally, Team


def bucket_of(score: float) -> int:
    return min(100, math.floor(score))


def tallies_add(
    *, cohort_id: int, team_id: int, scores: Mapping[str, float], sign: int = 1
) -> None:
    """Add one result's scores (measure -> score) to its team's tallies, or
    take them away with ``sign=-1``, then publish the team's figures if its
    count has reached a step. Runs inside the caller's transaction."""
    # One submission at a time per team, so the count that decides a
    # publication is exact.
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
    publish_if_due(cohort_id=cohort_id, team_id=team_id)


def publish_if_due(*, cohort_id: int, team_id: int) -> bool:
    """Copy a team's live tallies to the published ones when its completed
    count is a multiple of the cohort's minimum group size.

    Between two publications at least that many people finish, so the
    difference between them is never one person. A deletion is reflected at
    the next step rather than at once, for the same reason.
    """
    minimum = Cohort.objects.values_list("min_group_size", flat=True).get(pk=cohort_id)
    tallies = ScoreTally.objects.filter(cohort_id=cohort_id, team_id=team_id)
    live = tallies.filter(measure=OVERALL).aggregate(n=Sum("count"))["n"] or 0
    if live == 0 or live % minimum:
        return False
    tallies.update(
        published_count=F("count"),
        published_total=F("total"),
        published_total_sq=F("total_sq"),
    )
    Cohort.objects.filter(pk=cohort_id).update(figures_version=F("figures_version") + 1)
    return True


def result_scores(result: Result) -> dict[str, float]:
    scores = dict(result.scores.values_list("dimension__key", "score"))
    return {OVERALL: result.overall, **scores}


def tallies_rebuild(
    tally_model=ScoreTally,
    result_model=Result,
    score_model=DimensionScore,
    cohort_model=Cohort,
    *,
    publish: bool = True,
) -> int:
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
    # Published figures: each team's, if its count sits on a step.
    team_counts: dict[tuple, int] = defaultdict(int)
    for (c, t, m, _), values in rows.items():
        if m == OVERALL:
            team_counts[(c, t)] += values["count"]
    minimum = dict(cohort_model.objects.values_list("pk", "min_group_size"))
    tally_model.objects.bulk_create(
        [
            tally_model(
                cohort_id=c,
                team_id=t,
                measure=m,
                bucket=b,
                **values,
                **(
                    {
                        "published_count": values["count"],
                        "published_total": values["total"],
                        "published_total_sq": values["total_sq"],
                    }
                    if publish and team_counts[(c, t)] % minimum[c] == 0
                    else {}
                ),
            )
            for (c, t, m, b), values in rows.items()
        ],
        batch_size=1000,
    )
    return len(rows)
