"""Invitations and reminders: queued at once, then sent batch by batch."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST, require_safe

from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.audit.decorators import records_names_read
from assessments.cohorts import outbox, selectors
from assessments.cohorts import services as cohort_services
from assessments.cohorts.views.participants import people_list_query
from assessments.models import OutboundEmail, Participant

# How the outbox page shows a time, in the page and in the script's rows.
EMAIL_TIME = "j M Y H:i"
KINDS = {"invitations": OutboundEmail.Kind.INVITATION, "reminders": OutboundEmail.Kind.REMINDER}


@hr_admin_required
@require_POST
def emails_queue(request: SignedInRequest, cohort_id: int, kind: str) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    if kind not in KINDS:
        raise Http404("No such kind of email.")

    def link_for(participant: Participant) -> str:
        return request.build_absolute_uri(reverse("links:invitation", args=[participant.token]))

    try:
        count = outbox.emails_queue(
            cohort=cohort, kind=KINDS[kind], queued_by=request.user, link_for=link_for
        )
    except cohort_services.CohortError as error:
        messages.error(request, str(error))
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    if not count:
        messages.info(request, f"Nobody needs {kind} now: no email was queued.")
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    if count == 1:
        messages.success(request, f"1 {kind.removesuffix('s')} is queued and being sent.")
    else:
        messages.success(request, f"{count} {kind} are queued and being sent.")
    return redirect("cohorts:outbox", cohort_id=cohort.pk)


@hr_admin_required
@require_safe
@records_names_read("cohort")  # who each email went to
def cohort_outbox(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    context = {
        "cohort": cohort,
        "counts": selectors.outbox_counts(cohort),
        "recent": selectors.outbox_recent(cohort),
        "list_query": people_list_query(request.GET),
    }
    return render(request, "hr/outbox.html", context)


def _email_row(email: OutboundEmail) -> dict[str, str | int]:
    """An email as a row of the outbox's table, in the words and the time
    format of the page, for its script to show without a reload."""
    status = email.get_status_display() + (f": {email.error}" if email.error else "")
    return {
        "id": email.pk,
        "to": email.to,
        "kind": email.get_kind_display(),
        "status": email.status,
        "status_text": status,
        "queued": date(localtime(email.queued_at), EMAIL_TIME),
        "queued_iso": localtime(email.queued_at).isoformat(),
        "sent": date(localtime(email.sent_at), EMAIL_TIME) if email.sent_at else "",
        "sent_iso": localtime(email.sent_at).isoformat() if email.sent_at else "",
    }


@hr_admin_required
@require_POST
def outbox_send(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    """Send one batch. The page's script calls this until nothing is left,
    and shows the latest emails as they now stand."""
    cohort = get_cohort_for_hr(request, cohort_id)
    left = outbox.emails_send_batch(cohort=cohort)
    counts = selectors.outbox_counts(cohort)
    if request.headers.get("Accept") == "application/json":
        emails = [_email_row(email) for email in selectors.outbox_recent(cohort)]
        return JsonResponse({**counts, "left": left, "emails": emails})
    return redirect("cohorts:outbox", cohort_id=cohort.pk)


@hr_admin_required
@require_POST
def outbox_retry(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    count = outbox.emails_retry_failed(cohort=cohort)
    if count == 1:
        messages.info(request, "1 failed email is queued again.")
    else:
        messages.info(request, f"{count} failed emails are queued again.")
    return redirect("cohorts:outbox", cohort_id=cohort.pk)
