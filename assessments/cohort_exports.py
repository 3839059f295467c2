"""A cohort's results as rows for CSV and JSON, pseudonymised unless identified."""

import csv
import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from .confidentiality import groups_to_merge
from .models import Attempt, Cohort, Dimension, Result

OTHER_TEAMS = "Other teams"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Defuse text that a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def completed_per_team(cohort: Cohort) -> dict[int, int]:
    rows = (
        cohort.participants.filter(attempt__status=Attempt.Status.SUBMITTED)
        .values("team_id")
        .annotate(completed=Count("pk"))
    )
    return {row["team_id"]: row["completed"] for row in rows}


def export_rows(cohort: Cohort) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of a cohort's results; one query for the rows.

    Without identification, people appear under a stable pseudonym, and a
    team is named only if at least the cohort's minimum group size completed
    in it; smaller teams are merged into one group (see groups_to_merge).
    """
    dimensions = list(Dimension.objects.values_list("key", flat=True))
    results = (
        Result.objects.filter(attempt__participant__cohort=cohort)
        .annotate(
            pseudonym=F("attempt__participant__pseudonym"),
            person=F("attempt__participant__name"),
            email=F("attempt__participant__email"),
            team_id=F("attempt__participant__team_id"),
            team=F("attempt__participant__team__name"),
            bank_number=F("bank_version__number"),
            **{
                f"score_{key}": Max("scores__score", filter=Q(scores__dimension__key=key))
                for key in dimensions
            },
        )
        .order_by("attempt__participant__pseudonym")
    )
    merged = (
        set()
        if cohort.identified
        else groups_to_merge(completed_per_team(cohort), cohort.min_group_size)
    )
    columns = ["participant", *(["name", "email"] if cohort.identified else [])]
    # The day, not the time: a time could be matched against who HR saw
    # finish when, which would undo the pseudonym.
    columns += ["team", "overall", "band", *dimensions, "completed_on"]
    columns += ["bank_version", "scoring_version"]
    rows = []
    for result in results:
        row = {"participant": result.pseudonym}
        if cohort.identified:
            row |= {"name": result.person, "email": result.email}
        row |= {
            "team": OTHER_TEAMS if result.team_id in merged else result.team,
            "overall": result.overall,
            "band": result.band,
            **{key: getattr(result, f"score_{key}") for key in dimensions},
            "completed_on": timezone.localdate(result.created_at),
            "bank_version": result.bank_number,
            "scoring_version": result.scoring_version,
        }
        rows.append(row)
    return columns, rows


def as_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: safe_cell(value.isoformat() if hasattr(value, "isoformat") else value)
                for key, value in row.items()
            }
        )
    return out.getvalue()


def as_json(cohort: Cohort, columns: list[str], rows: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "cohort": cohort.name,
            "identified": cohort.identified,
            "min_group_size": cohort.min_group_size,
            "columns": columns,
            "rows": rows,
        },
        cls=DjangoJSONEncoder,
        indent=2,
    )
