"""A cohort's results for CSV and JSON: one row per person in an identified
cohort, the dashboard's figures in a pseudonymised one.

The rows are keyed by column names that do not change with the language
(the JSON keeps them). The CSV's first line gives each column a heading in
the reader's language, except name, email and team, the columns a
participants CSV (``csv_import``) reads, and the dimensions' keys; days and
times are the reader's, in their time zone."""

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext

from assessments import dashboards
from assessments.models import Cohort, Dimension, Result
from assessments.presentation import measure_labels

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Defuse text that a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def headings(cohort: Cohort, columns: list[str]) -> dict[str, str]:
    """Each column's heading for the CSV's first line, in the reader's language."""
    if not cohort.identified:
        return dashboards.csv_headings()
    read = {
        "participant": pgettext("results download column", "participant"),
        "overall": pgettext("results download column", "overall"),
        "band": pgettext("results download column", "band"),
        "completed_on": pgettext("results download column", "completed_on"),
        "bank_version": pgettext("results download column", "bank_version"),
        "scoring_version": pgettext("results download column", "scoring_version"),
    }
    return {column: read.get(column, column) for column in columns}


def export_rows(cohort: Cohort) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of a cohort's results.

    Identified (participants were told HR sees their scores): one row per
    person with name, email, team, scores and the day they completed.

    Pseudonymised: no row per person at all, but the figures of the cohort's
    dashboard, under the same rules. Rows of exact scores, however shuffled
    and stripped, give away the people who are not in on it: an HR admin who
    adds k - 1 people of their own to each team (or colludes with k - 1
    members) subtracts their known rows and is left with the others' exact
    scores, which the teams' figures then tell apart.
    """
    if not cohort.identified:
        return _figure_rows(cohort)
    dimensions = list(Dimension.objects.values_list("key", flat=True))
    columns = ["participant", "name", "email", "team", "overall", "band", *dimensions]
    columns += ["completed_on", "bank_version", "scoring_version"]
    rows = [
        {
            **{key: row[key] for key in ("participant", "name", "email", "team")},
            "overall": row["overall"],
            "band": row["band"],
            **{key: row[f"score_{key}"] for key in dimensions},
            "completed_on": timezone.localdate(row["created_at"]),
            "bank_version": row["bank_number"],
            "scoring_version": row["scoring_version"],
        }
        for row in _identified_results(cohort, dimensions)
    ]
    return columns, rows


def _identified_results(cohort: Cohort, dimensions: list[str]) -> QuerySet:
    """The cohort's results with who took them and each dimension's score, in one query."""
    return (
        Result.objects.filter(attempt__participant__cohort=cohort)
        .values(
            "pk",  # one row per result, whatever else two results share
            "overall",
            "band",
            "created_at",
            "scoring_version",
            participant=F("attempt__participant__pseudonym"),
            name=F("attempt__participant__name"),
            email=F("attempt__participant__email"),
            team=F("attempt__participant__team__name"),
            bank_number=F("bank_version__number"),
        )
        .annotate(
            **{
                f"score_{key}": Max("scores__score", filter=Q(scores__dimension__key=key))
                for key in dimensions
            }
        )
        .order_by("attempt__participant__name")
    )


def _figure_rows(cohort: Cohort) -> tuple[list[str], list[dict[str, Any]]]:
    """The cohort dashboard's figures, row by row, as its CSV has them."""
    board = dashboards.cohort_dashboard(cohort)
    labels = measure_labels(board.dimensions)
    return dashboards.CSV_COLUMNS, dashboards.summary_rows(board.summaries, labels)


def plain(value: Any) -> Any:
    """A day as ISO 8601; a time as ISO 8601 in the reader's time zone, with
    its offset (stored in UTC); anything else as it is."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_csv(cohort: Cohort, columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writerow(headings(cohort, columns))
    for row in rows:
        writer.writerow({key: safe_cell(plain(value)) for key, value in row.items()})
    return out.getvalue()


def as_json(cohort: Cohort, columns: list[str], rows: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "cohort": cohort.name,
            "identified": cohort.identified,
            "min_group_size": cohort.min_group_size,
            "columns": columns,
            "rows": [{key: plain(value) for key, value in row.items()} for row in rows],
        },
        cls=DjangoJSONEncoder,
        indent=2,
    )
