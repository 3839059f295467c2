"""A cohort's results as rows for CSV and JSON, pseudonymised unless identified,
and the rule for when pseudonymised rows may be released."""

import csv
import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Max, Q
from django.utils import timezone

from .models import Cohort, Dimension, Result

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Defuse text that a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ExportRefused(Exception):
    """The export cannot be made now; the message is for the HR admin."""


def release_check(cohort: Cohort) -> None:
    """Refuse a pseudonymised export that could be linked to names.

    HR sees, by name, who has completed. Rows downloaded before and after
    someone completes (or deletes their data) would differ by that person's
    row, so rows of a pseudonymised cohort are released once, after it has
    closed, in random order, with neither team nor date: the team-level
    figures come from the dashboards, under their rules. An identified
    cohort's participants were told HR sees their scores.
    """
    if cohort.identified:
        return
    if cohort.status != Cohort.Status.CLOSED:
        raise ExportRefused(
            "The results of a pseudonymised cohort are released once it has closed: rows "
            "downloaded while people are still completing could be matched to who completed "
            "when. The team figures are on the cohort's dashboard meanwhile."
        )
    release = cohort.exports.filter(identified=False).select_related("user").last()
    if release is not None:
        who = release.user or "an HR admin who has since left"
        raise ExportRefused(
            f"These results were released on {timezone.localdate(release.created_at):%d %B %Y} "
            f"to {who}. They are released only once, so that two downloads can never be "
            "compared to single out someone who deleted their data in between. Ask for that "
            "file."
        )


def export_rows(cohort: Cohort) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of a cohort's results; one query for the rows.

    Identified: names, emails, teams and the day each completed. Otherwise
    a pseudonym and the scores only, in random order (see release_check), of
    the results that are part of published figures.
    """
    dimensions = list(Dimension.objects.values_list("key", flat=True))
    results = Result.objects.filter(attempt__participant__cohort=cohort).annotate(
        pseudonym=F("attempt__participant__pseudonym"),
        person=F("attempt__participant__name"),
        email=F("attempt__participant__email"),
        team=F("attempt__participant__team__name"),
        bank_number=F("bank_version__number"),
        **{
            f"score_{key}": Max("scores__score", filter=Q(scores__dimension__key=key))
            for key in dimensions
        },
    )
    identified = cohort.identified
    if not identified:
        # Only results inside published figures: the rest (the newest few of
        # a team, shared ones, unconfirmed teams) are the rows that all rows
        # minus the published teams would single out.
        results = results.filter(
            attempt__participant__published_at__isnull=False,
            attempt__participant__team_confirmed=True,
            attempt__participant__shared_at__isnull=True,
        )
    results = results.order_by("attempt__participant__name" if identified else "?")
    columns = ["participant", *(["name", "email", "team"] if identified else [])]
    columns += ["overall", "band", *dimensions, *(["completed_on"] if identified else [])]
    columns += ["bank_version", "scoring_version"]
    rows = []
    for result in results:
        row: dict[str, Any] = {"participant": result.pseudonym}
        if identified:
            row |= {"name": result.person, "email": result.email, "team": result.team}
        row |= {
            "overall": result.overall,
            "band": result.band,
            **{key: getattr(result, f"score_{key}") for key in dimensions},
        }
        if identified:
            row["completed_on"] = timezone.localdate(result.created_at)
        row |= {"bank_version": result.bank_number, "scoring_version": result.scoring_version}
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
