"""tallies_rebuild as it stood when migrations 0005 and 0006 were written.

Frozen here so that later changes to the live function (which reads fields
those migrations' historical models do not have) never change what an old
migration does. Django's loader skips modules whose names start with "_".
"""

from collections import defaultdict

from django.db.models import Count, F, Sum
from django.db.models.functions import Floor

OVERALL = "overall"


def tallies_rebuild_v1(
    tally_model,
    result_model,
    score_model,
    cohort_model,
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
