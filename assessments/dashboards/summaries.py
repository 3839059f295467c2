"""A group's figures as they may be shown, and the rows of a download.

Each summary is worked out from releases (``models.Release``) and passed through
``disclosure`` before it leaves this module: nothing here decides which
groups may be shown beside which (see ``groups``)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.utils.translation import pgettext

from assessments.content.scoring import shown
from assessments.dashboards.disclosure import (
    Measure,
    overall_from_dimensions,
    shown_measure,
    small_group_note,
)
from assessments.dashboards.statistics import Exact
from assessments.models import OVERALL, Release, ReleasedMean


@dataclass(frozen=True)
class Summary:
    """A group's aggregates, or the reason they are withheld."""

    label: str
    n: int | None
    measures: dict[str, Measure] = field(default_factory=dict)
    withheld: str = ""
    note: str = ""  # what the figures leave out, and why

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def overall(self) -> Measure | None:
        return self.measures.get(OVERALL)


def exact_by(releases: QuerySet[Release], key: str | None = None) -> dict:
    """Per ``key`` (e.g. "cohort_id") and measure, a group's figure worked
    out from these releases alone: one row per measure and key, summed by
    the database, however many people answered."""
    fields = [f"release__{key}"] if key else []
    rows = (
        ReleasedMean.objects.filter(release__in=releases)
        .values(*fields, "measure")
        .annotate(n=Sum("release__count"), total=Sum(F("release__count") * F("mean")))
        .filter(n__gt=0)
        .order_by(*fields, "measure")
    )
    result: dict = defaultdict(dict)
    for row in rows:
        group = row[fields[0]] if key else None
        result[group][row["measure"]] = Exact(n=row["n"], mean=row["total"] / row["n"])
    return result


def _shown(exacts: dict[str, Exact], k: int, is_precise: bool | None) -> dict[str, Measure]:
    measures = {key: shown_measure(value, k, is_precise) for key, value in exacts.items()}
    shown = {key: value for key, value in measures.items() if value is not None}
    if OVERALL in shown:
        dimensions = [measure for key, measure in shown.items() if key != OVERALL]
        shown[OVERALL] = overall_from_dimensions(shown[OVERALL], dimensions)
    return shown


def _read(releases: QuerySet[Release]) -> tuple[dict[str, Exact], int]:
    exacts = exact_by(releases).get(None, {})
    return exacts, exacts[OVERALL].n if OVERALL in exacts else 0


def _summary(label: str, n: int, measures: dict[str, Measure], k: int, **extra: Any) -> Summary:
    overall = measures.get(OVERALL)
    note = small_group_note(n, k, overall.precise) if overall is not None else ""
    return Summary(label=label, n=n, measures=measures, note=note, **extra)


def one_team_summary(label: str, releases: QuerySet[Release], k: int) -> Summary:
    """One team's figures."""
    exacts, n = _read(releases)
    return _summary(label, n, _shown(exacts, k, None), k)


def group_summary(label: str, releases: QuerySet[Release], k: int, is_precise: bool) -> Summary:
    """A group of several teams (a cohort, the organisation)."""
    exacts, n = _read(releases)
    return _summary(label, n, _shown(exacts, k, is_precise), k)


def shown_summary(label: str, exacts: dict[str, Exact], n: int, k: int) -> Summary:
    """One team's summary from exact statistics read together with other teams'."""
    return _summary(label, n, _shown(exacts, k, None), k)


def withheld(label: str, reason: str) -> Summary:
    return Summary(label=label, n=None, withheld=reason)


CSV_COLUMNS = ["group", "measure", "n", "mean", "band", "note"]


def csv_headings() -> dict[str, str]:
    """Each column's heading in the reader's language: the download is read
    in a spreadsheet, not imported anywhere."""
    return {
        "group": pgettext("dashboard download column", "group"),
        "measure": pgettext("dashboard download column", "measure"),
        "n": pgettext("dashboard download column", "n"),
        "mean": pgettext("dashboard download column", "mean"),
        "band": pgettext("dashboard download column", "band"),
        "note": pgettext("dashboard download column", "note"),
    }


def summary_rows(summaries: list[Summary], labels: dict[str, str]) -> list[dict]:
    """Exactly what the charts and tables show, row by row, for a download."""
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
                    "mean": str(shown(measure.mean)),
                    "band": str(measure.band.label),
                    "note": summary.note,
                }
            )
    return rows
