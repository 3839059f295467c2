"""A group's figures as they may be shown, and the rows of a download.

Each summary is read from the tallies' published columns and passed through
``disclosure`` before it leaves this module: nothing here decides which
groups may be shown beside which (see ``groups``)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from assessments.content import scoring
from assessments.dashboards.disclosure import (
    Measure,
    shown_bands,
    shown_measure,
    small_group_note,
)
from assessments.dashboards.statistics import Bucket, Exact, exact
from assessments.models import OVERALL, ScoreTally


@dataclass(frozen=True)
class Summary:
    """A group's aggregates, or the reason they are withheld."""

    label: str
    n: int | None
    measures: dict[str, Measure] = field(default_factory=dict)
    bands: dict[str, int | None] = field(default_factory=dict)
    withheld: str = ""
    note: str = ""  # why only means are shown, when that is so

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def overall(self) -> Measure | None:
        return self.measures.get(OVERALL)


def exact_by(tallies: QuerySet[ScoreTally], key: str | None = None) -> dict:
    """Per ``key`` (e.g. cohort) and measure, the exact statistics.

    The database sums the tallies into at most 101 rows per measure and key
    (one per whole-point bucket), whatever the number of results.
    """
    fields = [key] if key else []
    rows = (
        tallies.values(*fields, "measure", "bucket")
        .annotate(
            n=Sum("published_count"),
            total=Sum("published_total"),
            total_sq=Sum("published_total_sq"),
        )
        .filter(n__gt=0)
        .order_by(*fields, "measure", "bucket")
    )
    grouped: dict[tuple, list[Bucket]] = defaultdict(list)
    for row in rows:
        grouped[(row[key] if key else None, row["measure"])].append(
            Bucket(row["n"], row["total"], row["total_sq"])
        )
    result: dict = defaultdict(dict)
    for (group, measure), buckets in grouped.items():
        result[group][measure] = exact(buckets)
    return result


def _shown(exacts: dict[str, Exact], k: int, detail: bool | None) -> dict[str, Measure]:
    measures = {key: shown_measure(value, k, detail) for key, value in exacts.items()}
    return {key: value for key, value in measures.items() if value is not None}


def _bands(tallies: QuerySet[ScoreTally]) -> dict[str, int]:
    """How many overall positions fall in each band, counted by the database."""
    counts = tallies.filter(measure=OVERALL).aggregate(
        **{
            band.key: Coalesce(
                Sum(
                    "published_count",
                    filter=Q(bucket__gte=band.lower)
                    & (Q(bucket__lt=band.upper) if band.upper < 100 else Q()),
                ),
                0,
            )
            for band in scoring.BANDS
        }
    )
    return counts


def _read(tallies: QuerySet[ScoreTally]) -> tuple[dict[str, Exact], int]:
    exacts = exact_by(tallies).get(None, {})
    return exacts, exacts[OVERALL].n if OVERALL in exacts else 0


def _summary(label: str, n: int, measures: dict[str, Measure], k: int, **extra: Any) -> Summary:
    overall = measures.get(OVERALL)
    note = small_group_note(n, k) if overall is not None and not overall.detailed else ""
    return Summary(label=label, n=n, measures=measures, note=note, **extra)


def one_team_summary(label: str, tallies: QuerySet[ScoreTally], k: int) -> Summary:
    """One team's figures, with its people per band."""
    exacts, n = _read(tallies)
    bands = shown_bands(_bands(tallies), n, k)
    return _summary(label, n, _shown(exacts, k, None), k, bands=bands)


def group_summary(label: str, tallies: QuerySet[ScoreTally], k: int, detail: bool) -> Summary:
    """A group of several teams (a cohort, the organisation): no band counts."""
    exacts, n = _read(tallies)
    return _summary(label, n, _shown(exacts, k, detail), k)


def shown_summary(label: str, exacts: dict[str, Exact], n: int, k: int) -> Summary:
    """One team's summary from exact statistics read together with other
    teams' (no band counts: those are read one team at a time)."""
    return _summary(label, n, _shown(exacts, k, None), k)


def withheld(label: str, reason: str) -> Summary:
    return Summary(label=label, n=None, withheld=reason)


CSV_COLUMNS = ["group", "measure", "n", "mean", "sd", "q1", "median", "q3", "band", "note"]


def summary_rows(summaries: list[Summary], labels: dict[str, str]) -> list[dict]:
    """Exactly what the charts and tables show, row by row, for a download:
    blank where the group's size does not allow a statistic."""
    rows: list[dict[str, Any]] = []
    for summary in summaries:
        if not summary.shown:
            rows.append({"group": summary.label, "note": summary.withheld})
            continue
        for key, label in labels.items():
            measure = summary.measures.get(key)
            if measure is None:
                continue
            rows.append(
                {
                    "group": summary.label,
                    "measure": label,
                    "n": measure.n,
                    "mean": f"{measure.mean:.0f}",
                    "sd": measure.sd_text,
                    "q1": "" if measure.q1 is None else f"{measure.q1:.0f}",
                    "median": "" if measure.median is None else f"{measure.median:.0f}",
                    "q3": "" if measure.q3 is None else f"{measure.q3:.0f}",
                    "band": measure.band.label,
                    "note": "" if measure.detailed else summary.note,
                }
            )
        for band in scoring.BANDS:
            if band.key in summary.bands:
                count = summary.bands[band.key]
                rows.append(
                    {
                        "group": summary.label,
                        "measure": f"People in band: {band.label}",
                        "n": count if count is not None else "",
                        "note": "" if count is not None else "fewer than the minimum group size",
                    }
                )
    return rows
