"""A cohort's scheduled reminders, their text with a preview, and its
retention rule."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.cohorts import emails, reminders, retention
from assessments.cohorts import services as cohort_services
from assessments.cohorts.forms import CohortScheduleForm
from assessments.models import Cohort


def _preview(cohort: Cohort, subject: str | None = None, body: str | None = None) -> dict:
    """The reminder as a made-up person would get it: no one's name shows."""
    team = cohort.teams.order_by("name").first()
    link = (settings.SITE_URL or "https://your-site") + reverse("links:invitation", args=["a" * 32])
    filled = emails.reminder_text(cohort, subject=subject, body=body).fill(
        name=emails.SAMPLE_PERSON["name"],
        team=team.name if team else emails.SAMPLE_PERSON["team"],
        link=link,
    )
    return {"name": emails.SAMPLE_PERSON["name"], "subject": filled[0], "body": filled[1]}


def _scheduled(cohort: Cohort) -> list[dict]:
    return [
        {
            "reminder": reminder,
            "due": reminders.reminder_due_at(cohort, reminder.days_before),
            "problem": reminders.reminder_problem(cohort, reminder.days_before),
        }
        for reminder in cohort.scheduled_reminders.all()
    ]


@hr_admin_required
@require_http_methods(["GET", "POST"])
def cohort_schedule(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    form = CohortScheduleForm(request.POST or None, cohort=cohort)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(
                cohort, form.cleaned_data["reminder_subject"], form.cleaned_data["reminder_body"]
            )
        else:
            try:
                reminders.cohort_schedule_update(cohort=cohort, **form.settings())
            except cohort_services.CohortError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The reminders and the retention rule are saved.")
                return redirect("cohorts:schedule", cohort_id=cohort.pk)
    elif request.method == "GET":
        preview = _preview(cohort)
    context = {
        "cohort": cohort,
        "form": form,
        "preview": preview,
        "scheduled": _scheduled(cohort),
        "placeholders": emails.PLACEHOLDERS,
        "retention_due": retention.retention_due_at(cohort),
    }
    return render(request, "hr/cohort_schedule.html", context)
