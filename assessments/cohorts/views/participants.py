"""Bringing people into a cohort (one at a time, or by CSV with a
preview), and acting on one person: confirming their team, sending their
invitation again, removing them before they start."""

from dataclasses import asdict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import (
    SignedInRequest,
    get_cohort_for_hr,
    get_participant_for_hr,
    hr_admin_required,
)
from assessments.audit.decorators import records_names_read
from assessments.cohorts import csv_import, outbox, selectors
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts.forms import CsvUploadForm, ParticipantFilterForm, ParticipantForm
from assessments.languages import language_name
from assessments.models import ParticipantImport, Team

PREVIEW_ROWS = 100
PARTICIPANTS_PER_PAGE = 50
# What the list of people keeps in its address: its filters and page.
LIST_KEYS = ("q", "status", "team", "page")


@hr_admin_required
@require_safe
@records_names_read("cohort")
def participant_list(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    """The cohort's people, found by name or email, status and team, a page
    at a time, with what HR can do for each."""
    cohort = get_cohort_for_hr(request, cohort_id)
    teams = list(selectors.teams_with_people(cohort))
    form = ParticipantFilterForm(request.GET, teams=teams, stages=selectors.STAGE_FILTERS)
    filters = form.filters()
    people = selectors.participants_page(
        cohort, request.GET.get("page"), PARTICIPANTS_PER_PAGE, **filters
    )
    context = {
        "cohort": cohort,
        "form": form,
        "people": people,
        "filtered": any(filters.values()),
        "list_query": people_list_query(request.GET),
    }
    return render(request, "hr/participant_list.html", context)


def people_list_query(query: QueryDict) -> str:
    """The list's filters and page from a query string, and nothing else, to
    carry through an action on one person and back."""
    kept = QueryDict(mutable=True)
    for key in LIST_KEYS:
        if value := query.get(key, ""):
            kept[key] = value[:200]
    return kept.urlencode()


def _list_url(request: HttpRequest, cohort_id: int) -> str:
    """The list of people as HR left it, filtered and paged as before. Read
    before an action changes anything: a query string Django refuses (too
    many fields) then stops the request before the change, not after it."""
    url = reverse("cohorts:participants", args=[cohort_id])
    query = people_list_query(request.GET)
    return f"{url}?{query}" if query else url


@hr_admin_required
@require_http_methods(["GET", "POST"])
def participant_add(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    form = ParticipantForm(request.POST or None, teams=Team.objects.all())
    form.fields["team"].help_text = _(
        "Any team of the organisation. A team not yet in this cohort joins it, and its "
        "managers then see it among the cohort's teams."
    )
    if request.method == "POST" and form.is_valid():
        joins = not cohort.teams.filter(pk=form.cleaned_data["team"].pk).exists()
        try:
            participant = participant_services.participant_add(cohort=cohort, **form.cleaned_data)
        except cohort_services.CohortError as error:
            form.add_error(None, str(error))
        else:
            names = {"person": participant.name, "cohort": cohort.name}
            if joins:
                names["team"] = participant.team.name
                added = _("%(person)s was added to %(cohort)s. %(team)s joined the cohort.")
            else:
                added = _("%(person)s was added to %(cohort)s.")
            messages.success(request, added % names)
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return render(request, "hr/participant_add.html", {"cohort": cohort, "form": form})


@hr_admin_required
@require_http_methods(["GET", "POST"])
def participant_import(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = participant_services.import_preview(
                cohort=cohort,
                data=upload.read(),
                filename=upload.name,
                created_by=request.user,
            )
        except (csv_import.CsvFileError, cohort_services.CohortError) as error:
            form.add_error("file", _("%(error)s Nothing was imported.") % {"error": error})
        else:
            return redirect("cohorts:import_preview", cohort_id=cohort.pk, import_id=pending.pk)
    context = {"cohort": cohort, "form": form, "columns": csv_import.COLUMNS}
    return render(request, "hr/participant_import.html", context)


def _pending(request: HttpRequest, cohort_id: int, import_id: int) -> ParticipantImport:
    cohort = get_cohort_for_hr(request, cohort_id)
    pending = cohort.imports.filter(pk=import_id).first()
    if pending is None:
        raise Http404(_("No such import."))
    return pending


@hr_admin_required
@require_safe
@records_names_read("participantimport", "import_id")
def import_preview(request: SignedInRequest, cohort_id: int, import_id: int) -> HttpResponse:
    pending = _pending(request, cohort_id, import_id)
    rows = participant_services.import_rows(pending)
    context = {
        "cohort": pending.cohort,
        "pending": pending,
        "rows": [
            {**asdict(row), "language_name": language_name(row.language)}
            for row in rows[:PREVIEW_ROWS]
        ],
        "more_rows": max(0, len(rows) - PREVIEW_ROWS),
        # The language column only if the file had one with anything in it.
        "languages": any(row.language for row in rows),
    }
    return render(request, "hr/import_preview.html", context)


@hr_admin_required
@require_POST
def import_confirm(request: SignedInRequest, cohort_id: int, import_id: int) -> HttpResponse:
    pending = _pending(request, cohort_id, import_id)
    try:
        count = participant_services.import_confirm(pending=pending)
    except cohort_services.CohortError as error:
        messages.error(request, _("%(error)s Nothing was imported.") % {"error": error})
        return redirect("cohorts:import_preview", cohort_id=cohort_id, import_id=pending.pk)
    added = ngettext(
        "%(count)s person was added to %(cohort)s.",
        "%(count)s people were added to %(cohort)s.",
        count,
    )
    messages.success(request, added % {"count": count, "cohort": pending.cohort.name})
    return redirect("cohorts:detail", cohort_id=cohort_id)


@hr_admin_required
@require_POST
def import_cancel(request: SignedInRequest, cohort_id: int, import_id: int) -> HttpResponse:
    pending = _pending(request, cohort_id, import_id)
    participant_services.import_cancel(pending=pending)
    messages.info(request, _("The import was cancelled; nobody was added."))
    return redirect("cohorts:detail", cohort_id=cohort_id)


@hr_admin_required
@require_POST
def participant_team_confirm(
    request: SignedInRequest, cohort_id: int, participant_id: int
) -> HttpResponse:
    """Confirm the team that someone who joined by the open link chose."""
    back = _list_url(request, cohort_id)
    participant = get_participant_for_hr(request, cohort_id, participant_id)
    already = participant.team_confirmed
    try:
        participant_services.participant_team_confirm(participant=participant)
    except cohort_services.CohortError as error:
        messages.error(request, str(error))
    else:
        if already:  # added by HR, or confirmed before: nothing changed
            messages.info(
                request,
                _("%(person)s already counts towards their team.") % {"person": participant.name},
            )
        else:
            messages.success(
                request,
                _("%(person)s now counts towards %(team)s.")
                % {"person": participant.name, "team": participant.team.name},
            )
    return redirect(back)


@hr_admin_required
@require_POST
def participant_invite(
    request: SignedInRequest, cohort_id: int, participant_id: int
) -> HttpResponse:
    """Queue one person's invitation (again), and send it from the outbox."""
    back, query = _list_url(request, cohort_id), people_list_query(request.GET)
    participant = get_participant_for_hr(request, cohort_id, participant_id)
    link = request.build_absolute_uri(reverse("links:invitation", args=[participant.token]))
    try:
        outbox.participant_invitation_queue(
            participant=participant, queued_by=request.user, link=link
        )
    except cohort_services.CohortError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(
        request,
        _("An invitation to %(person)s is queued and being sent.") % {"person": participant.name},
    )
    # The outbox links back to the list of people as HR left it.
    outbox_url = reverse("cohorts:outbox", args=[cohort_id])
    return redirect(f"{outbox_url}?{query}" if query else outbox_url)


@hr_admin_required
@require_http_methods(["GET", "POST"])
@records_names_read("participant")  # the person's name and email, before asking
def participant_remove(
    request: SignedInRequest, cohort_id: int, participant_id: int
) -> HttpResponse:
    """Ask, then take someone who has not started out of the cohort."""
    back = _list_url(request, cohort_id)
    participant = get_participant_for_hr(request, cohort_id, participant_id)
    if request.method == "POST":
        try:
            participant_services.participant_remove(
                participant=participant, removed_by=request.user
            )
        except cohort_services.CohortError as error:
            messages.error(request, _("%(error)s Nobody was removed.") % {"error": error})
        else:
            messages.success(
                request,
                _("%(person)s was removed from %(cohort)s; their personal link no longer works.")
                % {"person": participant.name, "cohort": participant.cohort.name},
            )
        return redirect(back)
    context = {
        "cohort": participant.cohort,
        "participant": participant,
        "list_query": people_list_query(request.GET),
        "refusal": selectors.removal_refusal(participant, participant.cohort),
    }
    return render(request, "hr/participant_remove.html", context)
