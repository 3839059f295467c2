"""Managers' and HR admins' dashboards: aggregates only, withheld below the
minimum group size. Every number comes from this package."""

import csv
import io
from typing import TypedDict

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments import dashboards, presentation
from assessments.access import (
    SignedInRequest,
    dashboard_reader_required,
    get_cohort_for_hr,
    get_share_for_manager,
    get_team_for_dashboard,
    hr_admin_required,
)
from assessments.audit.decorators import names_read, records_names_read
from assessments.cohorts.exports import safe_cell
from assessments.content.team_guidance import TEAM_NUANCES
from assessments.dashboards.presentation import (
    DashboardFigures,
    TeamGuidance,
    cohort_figures,
    dashboard_figures,
    measure_labels,
    team_guidance,
)
from assessments.models import Cohort, Team
from assessments.roles import is_hr_admin
from assessments.taking import selectors

DASHBOARD_CACHE_SECONDS = 3600


@dashboard_reader_required
@require_safe
def dashboard_index(request: SignedInRequest) -> HttpResponse:
    teams = Team.objects.for_dashboard(request.user).prefetch_related("cohorts")
    shared = list(dashboards.shared_with(request.user))
    context = {
        "teams": teams,
        "cohorts": Cohort.objects.for_hr_admin(request.user),
        "shared": shared,
    }
    response = render(request, "dashboards/index.html", context)
    if shared:  # by name, with each one's position
        names_read(request, "resultshare")
    return response


def _team_and_cohort(request: HttpRequest, team_id: int) -> tuple[Team, Cohort]:
    team = get_team_for_dashboard(request, team_id)
    cohorts = team.cohorts.exclude(status=Cohort.Status.DRAFT).order_by("-opens_at", "-created_at")
    chosen = request.GET.get("cohort", "")
    valid = chosen.isascii() and chosen.isdigit() and len(chosen) <= 12
    cohort = cohorts.filter(pk=int(chosen)).first() if valid else cohorts.first()
    if cohort is None:
        raise Http404(_("This team has not taken part in a cohort yet."))
    return team, cohort


class TeamFigures(TypedDict):
    board: dashboards.TeamDashboard
    labels: dict[str, str]
    figures: DashboardFigures
    guidance: list[TeamGuidance]
    figures_key: str


def _team_figures(team: Team, cohort: Cohort) -> TeamFigures:
    """The team dashboard's figures, charts and guidance.

    They change only when figures are published (every few submissions) or
    settings change, so they are cached under a key that holds the figures'
    version: a change anywhere gives a new key, and a stale entry is never read.
    Their words are in the reader's language, so the key holds it too.
    """
    version = dashboards.figures_version()
    key = f"team-dashboard:{team.pk}:{cohort.pk}:{version}:{get_language()}"
    cached: TeamFigures | None = cache.get(key)
    if cached is None:
        board = dashboards.team_dashboard(team, cohort)
        cached = {
            "board": board,
            "labels": measure_labels(board.dimensions),
            "figures": dashboard_figures(board),
            "guidance": team_guidance(board.team_summary, board.dimensions),
            "figures_key": key,
        }
        cache.set(key, cached, timeout=DASHBOARD_CACHE_SECONDS)
    return cached


@dashboard_reader_required
@require_safe
def team_dashboard(request: SignedInRequest, team_id: int) -> HttpResponse:
    team, cohort = _team_and_cohort(request, team_id)
    context = {
        **_team_figures(team, cohort),
        "people": dashboards.people(cohort, team),
        "team_nuances": TEAM_NUANCES,
        "cohorts": team.cohorts.exclude(status=Cohort.Status.DRAFT).order_by("-created_at"),
        "is_hr_admin": is_hr_admin(request.user),
    }
    return render(request, "dashboards/team.html", context)


def _csv_response(name: str, rows: list[dict]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=dashboards.CSV_COLUMNS)
    writer.writerow(dashboards.csv_headings())
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@dashboard_reader_required
@require_safe
def team_dashboard_csv(request: SignedInRequest, team_id: int) -> HttpResponse:
    team, cohort = _team_and_cohort(request, team_id)
    board = _team_figures(team, cohort)["board"]
    rows = dashboards.summary_rows(board.summaries, measure_labels(board.dimensions))
    return _csv_response(f"{team.name} {cohort.name}", rows)


@hr_admin_required
@require_safe
def cohort_dashboard(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    board = dashboards.cohort_dashboard(cohort)
    labels = measure_labels(board.dimensions)
    context = {
        "board": board,
        "labels": labels,
        "figures": cohort_figures(board),
        "people": dashboards.people(cohort),
    }
    return render(request, "dashboards/cohort.html", context)


@hr_admin_required
@require_safe
def cohort_dashboard_csv(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    board = dashboards.cohort_dashboard(get_cohort_for_hr(request, cohort_id))
    rows = dashboards.summary_rows(board.summaries, measure_labels(board.dimensions))
    return _csv_response(board.cohort.name, rows)


@dashboard_reader_required
@require_safe
@records_names_read("resultshare", "share_id")
def shared_result(request: SignedInRequest, share_id: int) -> HttpResponse:
    """A result its owner shares with this manager's team, read here rather
    than through the owner's private link, so that stopping sharing ends it."""
    share = get_share_for_manager(request, share_id)
    result = selectors.result_with_scores(share.result)
    context = {
        "share": share,
        "reading": presentation.read_result(result),
        "caption": _("Positions from 0 (seller) to 100 (leader), taken %(date)s")
        % {"date": date_format(timezone.localtime(result.created_at), "DATE_FORMAT")},
    }
    response = render(request, "dashboards/shared_result.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
