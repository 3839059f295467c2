"""HR admins' cohorts: list, create, edit, open and close, completion."""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import charts
from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.banks.statistics import cohort_statistics
from assessments.caching import data_digest, sources_digest
from assessments.charts import groups as charts_groups
from assessments.cohorts import selectors
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.cohorts.forms import CohortForm
from assessments.models import Cohort


@hr_admin_required
@require_safe
def cohort_list(request: SignedInRequest) -> HttpResponse:
    cohorts = selectors.cohorts_with_completion(Cohort.objects.for_hr_admin(request.user))
    return render(request, "hr/cohort_list.html", {"cohorts": cohorts})


def _teams(form: CohortForm) -> list:
    return [
        *form.cleaned_data["existing_teams"],
        *team_services.teams_get_or_create(form.cleaned_data["new_teams"]),
    ]


@hr_admin_required
@require_http_methods(["GET", "POST"])
def cohort_create(request: SignedInRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_services.cohort_create(
                teams=_teams(form), created_by=request.user, **form.settings()
            )
        except cohort_services.CohortError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(cohort)s was created as a draft.") % {"cohort": cohort.name}
            )
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return render(request, "hr/cohort_form.html", {"form": form, "cohort": None})


@hr_admin_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            cohort_services.cohort_update(cohort=cohort, teams=_teams(form), **form.settings())
        except cohort_services.CohortError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The cohort's settings were saved."))
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return render(request, "hr/cohort_form.html", {"form": form, "cohort": cohort})


@hr_admin_required
@require_safe
def cohort_detail(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    rows = selectors.team_completion(cohort)
    total = selectors.completion_total(rows)
    # The people invited, by how far they have got: someone not yet invited
    # has not been asked, so is not "not started".
    figure = charts.completion_figure(
        [charts.Completion(row.team, row.completed, row.started, row.not_started) for row in rows],
        heading=_("Completion of the people invited, by team"),
    )
    context = {
        "cohort": cohort,
        "rows": rows,
        "total": total,
        "figure": figure if total.invited else None,
        "completion_key": data_digest(completion_version(), cohort.pk, rows),
        "to_confirm": selectors.teams_to_confirm(cohort),
        "outbox": selectors.outbox_counts(cohort),
        "join_url": request.build_absolute_uri(reverse("links:join", args=[cohort.join_code])),
    }
    return render(request, "hr/cohort_detail.html", context)


@hr_admin_required
@require_safe
def cohort_statistics_page(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    """How well the items measured in this cohort, from its results in figures."""
    cohort = get_cohort_for_hr(request, cohort_id)
    statistics = cohort_statistics(cohort)
    completed = selectors.completion_total(selectors.team_completion(cohort)).completed
    left_out = completed - statistics.results - statistics.waiting
    context = {
        "statistics": statistics,
        "scope": cohort.name,
        "back_url": reverse("cohorts:detail", args=[cohort.pk]),
        "back_text": cohort.name,
        "population": _("the cohort's results in its team figures (as on its dashboard)"),
        "left_out": (
            # The same English either way; other languages may need the count.
            ngettext(
                "%(left_out)s of its %(completed)s completed results are left out: those not "
                "yet in its team figures, shared by name, or of a join-link team not yet "
                "confirmed, and, once the cohort has closed, those not in a block by then, "
                "which go to the question bank version's statistics.",
                "%(left_out)s of its %(completed)s completed results are left out: those not "
                "yet in its team figures, shared by name, or of a join-link team not yet "
                "confirmed, and, once the cohort has closed, those not in a block by then, "
                "which go to the question bank version's statistics.",
                left_out,
            )
            % {"left_out": left_out, "completed": completed}
            if left_out > 0
            else ""
        ),
        "version_url": reverse("banks:version_statistics", args=[cohort.bank_version_id]),
    }
    return render(request, "hr/statistics.html", context)


@functools.cache
def completion_version() -> str:
    """Changes with the sources that draw the completion section, which the
    cohort page keeps rendered under its counts."""
    template = settings.TEMPLATES_DIR / "hr" / "_completion.html"
    return sources_digest([template, Path(charts_groups.__file__ or "")])


def _transition(request: HttpRequest, cohort_id: int, action, done: str) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    try:
        action(cohort=cohort)
    except cohort_services.CohortError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@hr_admin_required
@require_POST
def cohort_open(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    return _transition(
        request, cohort_id, cohort_services.cohort_open, _("The cohort is open: links now work.")
    )


@hr_admin_required
@require_POST
def cohort_close(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    return _transition(
        request,
        cohort_id,
        cohort_services.cohort_close,
        _("The cohort is closed: its links no longer work and its results are final."),
    )


@hr_admin_required
@require_POST
def cohort_join_link(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    enabled = request.POST.get("enabled") == "on"
    return _transition(
        request,
        cohort_id,
        lambda cohort: cohort_services.cohort_join_link_set(cohort=cohort, enabled=enabled),
        _("The open join link is on.") if enabled else _("The open join link is off."),
    )
