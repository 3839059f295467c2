"""Invitations and reminders: queued at once, sent by the task engine's
workers; the outbox page shows how far they got, and what failed and why."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.audit.decorators import records_names_read
from assessments.cohorts import outbox
from assessments.cohorts import services as cohort_services
from assessments.cohorts.views.participants import people_list_query
from assessments.models import Cohort, OutboundEmail

# How the outbox page shows a time, in the page and in the script's rows
# (a named format: each language has its own order).
EMAIL_TIME = "SHORT_DATETIME_FORMAT"
KINDS = {"invitations": OutboundEmail.Kind.INVITATION, "reminders": OutboundEmail.Kind.REMINDER}
RECENT_EMAILS = 20
# Failed and interrupted emails listed with their errors; the rest are counted.
PROBLEMS_SHOWN = 100
Status = OutboundEmail.Status


@hr_admin_required
@require_POST
def emails_queue(request: SignedInRequest, cohort_id: int, kind: str) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    if kind not in KINDS:
        raise Http404("No such kind of email.")
    # Each link is the same address with the person's token at its end:
    # made once, not once a person (20,000 of them, bench/outbox.py).
    marker = "0" * 32
    base = request.build_absolute_uri(reverse("links:invitation", args=[marker]))
    prefix, _marker, suffix = base.rpartition(marker)

    def link_for(person: outbox.Recipient) -> str:
        return f"{prefix}{person.token}{suffix}"

    try:
        count = outbox.emails_queue(
            cohort=cohort, kind=KINDS[kind], queued_by=request.user, link_for=link_for
        )
    except cohort_services.CohortError as error:
        messages.error(request, str(error))
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    if not count:
        if kind == "invitations":
            messages.info(request, _("Nobody needs invitations now: no email was queued."))
        else:
            messages.info(request, _("Nobody needs reminders now: no email was queued."))
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    if kind == "invitations":
        queued = ngettext(
            "%(count)s invitation is queued. "
            "They are sent in the background: you may close this page.",
            "%(count)s invitations are queued. "
            "They are sent in the background: you may close this page.",
            count,
        )
    else:
        queued = ngettext(
            "%(count)s reminder is queued. "
            "They are sent in the background: you may close this page.",
            "%(count)s reminders are queued. "
            "They are sent in the background: you may close this page.",
            count,
        )
    messages.success(request, queued % {"count": count})
    return redirect("cohorts:outbox", cohort_id=cohort.pk)


def _status_text(email: OutboundEmail) -> str:
    text = str(email.get_status_display())
    if email.status == Status.QUEUED and email.attempts:
        text = _("Waiting to try again at %(time)s (tried %(count)s×)") % {
            "time": date(localtime(email.next_attempt_at), "TIME_FORMAT"),
            "count": email.attempts,
        }
    if not email.error:
        return text
    # The worker's own words are recorded in English; a mail server's stay as it said them.
    error = _(email.error) if email.error == outbox.INTERRUPTED_ERROR else email.error
    return _("%(status)s: %(error)s") % {"status": text, "error": error}


def _email_row(email: OutboundEmail) -> dict[str, str | int]:
    """An email as a row of the outbox's tables, in the words and the time
    format of the page, for its script to show without a reload."""
    return {
        "id": email.pk,
        "to": email.to,
        "kind": str(email.get_kind_display()),
        "status": email.status,
        "status_text": _status_text(email),
        "queued": date(localtime(email.queued_at), EMAIL_TIME),
        "queued_iso": localtime(email.queued_at).isoformat(),
        "sent": date(localtime(email.sent_at), EMAIL_TIME) if email.sent_at else "",
        "sent_iso": localtime(email.sent_at).isoformat() if email.sent_at else "",
    }


def _outbox(cohort: Cohort) -> dict:
    """What the page and its script show: counts, the latest emails, the
    failed and interrupted ones with their errors, and whether the workers
    seem to have stopped."""
    emails = cohort.emails.all()
    counts = outbox.outbox_counts(emails)
    recent = emails.order_by("-queued_at", "-pk")[:RECENT_EMAILS]
    problems = emails.filter(status__in=[Status.FAILED, Status.INTERRUPTED]).order_by("-pk")
    return {
        **counts,
        "total": sum(counts[status] for status in Status),
        "in_flight": counts[Status.QUEUED] + counts[Status.SENDING],
        "stalled": outbox.stalled(emails),
        "emails": [_email_row(email) for email in recent],
        "problems": [_email_row(email) for email in problems[:PROBLEMS_SHOWN]],
    }


@hr_admin_required
@require_safe
@records_names_read("cohort")  # who each email went to
def cohort_outbox(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_hr(request, cohort_id)
    context = {
        "cohort": cohort,
        "outbox": _outbox(cohort),
        "list_query": people_list_query(request.GET),
    }
    return render(request, "hr/outbox.html", context)


@hr_admin_required
@require_safe
def outbox_status(request: SignedInRequest, cohort_id: int) -> JsonResponse:
    """The outbox as it stands, for the page's script to show while the
    workers send (the page itself records that names were read)."""
    return JsonResponse(_outbox(get_cohort_for_hr(request, cohort_id)))


@hr_admin_required
@require_POST
def outbox_retry(request: SignedInRequest, cohort_id: int) -> HttpResponse:
    """Queue the failed emails again, or (HR's decision: each may have
    arrived) the interrupted ones."""
    cohort = get_cohort_for_hr(request, cohort_id)
    if request.POST.get("emails") == "interrupted":
        count = outbox.emails_retry_interrupted(cohort=cohort)
        text = ngettext(
            "%(count)s interrupted email is queued again.",
            "%(count)s interrupted emails are queued again.",
            count,
        )
    else:
        count = outbox.emails_retry_failed(cohort=cohort)
        text = ngettext(
            "%(count)s failed email is queued again.",
            "%(count)s failed emails are queued again.",
            count,
        )
    messages.info(request, text % {"count": count})
    return redirect("cohorts:outbox", cohort_id=cohort.pk)
