"""A cohort's scheduled reminders, their text with a preview, and its
retention rule.

The preview shows the reminder in each language it goes out in: the
default text in the organisation's language and in each other one the
cohort's people read; a text HR wrote once, since everyone gets it as
written (cohorts/emails.py)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.cohorts import emails, reminders, retention
from assessments.cohorts import services as cohort_services
from assessments.cohorts.forms import CohortScheduleForm
from assessments.languages import language_name
from assessments.models import Cohort


def _languages(cohort: Cohort) -> list[str]:
    """The languages the cohort's reminders go out in: the organisation's
    first, then the others its people read."""
    chosen = cohort.participants.filter(withdrawn_at__isnull=True).order_by().distinct()
    languages = {emails.email_language(code) for code in chosen.values_list("language", flat=True)}
    languages.add(settings.LANGUAGE_CODE)
    return sorted(languages, key=lambda code: (code != settings.LANGUAGE_CODE, code))


def _previews(cohort: Cohort, subject: str | None = None, body: str | None = None) -> dict:
    """The reminder as a made-up person would get it, in each language it
    goes out in: no one's name shows. A text left as the default (in the
    page's language) counts as the default, as saving it would
    (CohortScheduleForm.settings); a text HR wrote is the same in every
    language, so it is shown once."""
    subject = cohort.reminder_subject if subject is None else subject
    body = cohort.reminder_body if body is None else body
    if subject == emails.DEFAULT_REMINDER_SUBJECT:
        subject = ""
    if body.strip() == emails.DEFAULT_REMINDER_BODY.strip():
        body = ""
    written = bool(subject and body)
    languages = [settings.LANGUAGE_CODE] if written else _languages(cohort)
    team = cohort.teams.order_by("name").first()
    link = (settings.SITE_URL or "https://your-site") + reverse("links:invitation", args=["a" * 32])
    previews = []
    for language in languages:
        with emails.email_locale(language):
            name = str(emails.SAMPLE_PERSON["name"])
            filled = emails.reminder_text(cohort, subject=subject, body=body).fill(
                name=name,
                team=team.name if team else str(emails.SAMPLE_PERSON["team"]),
                link=link,
            )
        previews.append(
            {
                "language": language,
                "language_name": language_name(language),
                "name": name,
                "subject": filled[0],
                "body": filled[1],
            }
        )
    return {
        "previews": previews,
        "preview_written": written,
        "preview_partly_written": bool(subject or body) and not written,
    }


def _scheduled(cohort: Cohort) -> list[dict]:
    return [
        {
            "reminder": reminder,
            "due": reminders.reminder_due_at(cohort, reminder.days_before),
            "problem": reminders.reminder_problem(cohort, reminder.days_before),
            "outcome": reminders.outcome_text(reminder.outcome),
        }
        for reminder in cohort.scheduled_reminders.all()
    ]


@hr_admin_required
@require_http_methods(["GET", "POST"])
def cohort_schedule(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    form = CohortScheduleForm(request.POST or None, cohort=cohort)
    preview: dict = {}
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _previews(
                cohort, form.cleaned_data["reminder_subject"], form.cleaned_data["reminder_body"]
            )
        else:
            try:
                reminders.cohort_schedule_update(cohort=cohort, **form.settings())
            except cohort_services.CohortError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The reminders and the retention rule are saved."))
                return redirect("cohorts:schedule", cohort_id=cohort.pk)
    elif request.method == "GET":
        preview = _previews(cohort)
    context = {
        "cohort": cohort,
        "form": form,
        # The reminder in the organisation's language first, then in the others.
        "preview": preview["previews"][0] if preview else None,
        **preview,
        "scheduled": _scheduled(cohort),
        "placeholders": emails.PLACEHOLDERS,
        "organisation_language": language_name(settings.LANGUAGE_CODE),
        "retention_due": retention.retention_due_at(cohort),
    }
    return render(request, "hr/cohort_schedule.html", context)
