"""Invitations and reminders: queued at once, then sent batch by batch."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.cohorts import outbox, selectors
from assessments.cohorts import services as cohort_services
from assessments.models import OutboundEmail, Participant

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
    messages.success(request, f"{count} {kind} are queued and being sent.")
    return redirect("cohorts:outbox", cohort_id=cohort.pk)


@hr_admin_required
def cohort_outbox(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    context = {
        "cohort": cohort,
        "counts": selectors.outbox_counts(cohort),
        "recent": cohort.emails.select_related("participant")[:20],
        "failed": cohort.emails.filter(status=OutboundEmail.Status.FAILED)[:50],
    }
    return render(request, "hr/outbox.html", context)


@hr_admin_required
@require_POST
def outbox_send(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    """Send one batch. The page's script calls this until nothing is left."""
    cohort = get_cohort_for_hr(request, cohort_id)
    left = outbox.emails_send_batch(cohort=cohort)
    counts = selectors.outbox_counts(cohort)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({**counts, "left": left})
    return redirect("cohorts:outbox", cohort_id=cohort.pk)


@hr_admin_required
@require_POST
def outbox_retry(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    count = outbox.emails_retry_failed(cohort=cohort)
    messages.info(request, f"{count} failed emails are queued again.")
    return redirect("cohorts:outbox", cohort_id=cohort.pk)
