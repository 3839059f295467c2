"""The links people outside HR follow: personal invitations (with the
person's own data behind them), the open join link, and a manager's
invitation.

A person who starts their assessment through their link gives their
emails the language they started it in (``Participant.language``), when
HR chose none for them: the reminders the engine sends later are then in
the language they read. Only starting does this, an action HR sees anyway
("started"): merely opening the link records nothing, so neither HR nor a
mail scanner that follows links can learn or change anything by it."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from assessments.access import (
    SignedInRequest,
    get_cohort_by_join_code,
    get_manager_invitation,
    get_participant_by_token,
    remember_attempt,
)
from assessments.accounts.exports import participant_data
from assessments.accounts.forms import DeleteDataForm
from assessments.accounts.services import participant_data_delete
from assessments.audit.services import Action, audit_record
from assessments.cohorts import outbox
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.cohorts.forms import ParticipantForm
from assessments.languages import current_language
from assessments.models import Attempt, Cohort, Participant
from assessments.taking.services import AttemptError
from ratelimits import limits

# What the refusal page says, by the limit that was reached.
JOIN_REFUSED = {
    "join-email": gettext_lazy(
        "Several links have already been sent to this email address in the last hour, so no "
        "more go out for now: that keeps anyone from filling a mailbox with them. The links "
        "sent before still work: look in the inbox and the spam folder."
    ),
    "join-client": gettext_lazy(
        "Many join links have been asked for from your network in the last hour, so no more "
        "go out from it for now."
    ),
}


OWN_DATA = {"export": "own_data"}


def _page_language() -> str | None:
    """The language this page is read in, if it is one emails are written in."""
    language = current_language()
    return language if language in dict(settings.LANGUAGES) else None


def _remember_language(participant: Participant) -> None:
    """Their emails from now on in the language they started in: one UPDATE
    of that field, only when neither HR nor an earlier start chose one, and
    never once they deleted their data."""
    language = _page_language()
    if language is None or participant.language or participant.withdrawn_at:
        return
    Participant.objects.filter(pk=participant.pk, withdrawn_at__isnull=True, language="").update(
        language=language
    )
    participant.language = language


def _closed(
    request: HttpRequest, cohort: Cohort, participant: Participant | None = None
) -> HttpResponse:
    context = {"cohort": cohort, "participant": participant}
    return render(request, "cohorts/closed.html", context, status=410)


def _withdrawn(request: HttpRequest, participant: Participant, status: int = 410) -> HttpResponse:
    """What the link shows once the person deleted their data: gone (410),
    except as the answer to the deletion itself."""
    return render(request, "cohorts/withdrawn.html", {"participant": participant}, status=status)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    participant = get_participant_by_token(token)
    if participant.withdrawn_at is not None:
        return _withdrawn(request, participant)
    cohort = participant.cohort
    attempt = Attempt.objects.filter(participant=participant).select_related("result").first()
    if attempt is not None and attempt.status == Attempt.Status.SUBMITTED:
        remember_attempt(request, attempt)
        return redirect("taking:result_detail", token=attempt.result.token)
    if not cohort.is_accepting():
        return _closed(request, cohort, participant)
    if request.method == "POST":
        try:
            attempt = participant_services.participant_attempt(participant=participant)
        except AttemptError:  # the cohort closed meanwhile, or HR removed the person
            if not Participant.objects.filter(pk=participant.pk).exists():
                raise Http404("No such invitation.") from None
            return _closed(request, Cohort.objects.get(pk=cohort.pk), participant)
        remember_attempt(request, attempt)
        _remember_language(participant)
        return redirect("taking:attempt_resume", attempt_id=attempt.pk)
    context = {"participant": participant, "cohort": cohort, "attempt": attempt}
    return render(request, "cohorts/invitation.html", context)


@require_safe
def participant_data_export(request: HttpRequest, token: str) -> HttpResponse:
    """What is stored about an invited person, for whoever holds their link:
    the link is the key to their place in the cohort, as to their answers."""
    participant = get_participant_by_token(token)
    body = json.dumps(participant_data(participant), cls=DjangoJSONEncoder, indent=2)
    # No actor, whoever is signed in: a link is never tied to an account (rule 8).
    audit_record(action=Action.EXPORTED, actor=None, target=participant, detail=OWN_DATA)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="seller-leader-spectrum-cohort.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def participant_delete(request: HttpRequest, token: str) -> HttpResponse:
    participant = get_participant_by_token(token)
    if participant.withdrawn_at is not None:
        return _withdrawn(request, participant)
    form = DeleteDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Answered in place rather than redirected: the link now answers 410,
        # and sending again deletes nothing more.
        participant = participant_data_delete(participant=participant)
        messages.success(
            request, _("Your answers, your result and your details have been deleted.")
        )
        return _withdrawn(request, participant, status=200)
    attempt = Attempt.objects.filter(participant=participant).first()
    context = {"form": form, "participant": participant, "attempt": attempt}
    return render(request, "cohorts/data_delete.html", context)


@require_http_methods(["GET", "POST"])
def cohort_join(request: HttpRequest, code: str) -> HttpResponse:
    cohort = get_cohort_by_join_code(code)
    if not (cohort.join_enabled and cohort.is_accepting()):
        return _closed(request, cohort)
    form = ParticipantForm(request.POST or None, teams=cohort.teams.all())
    # HR's choice on its own form; here it is the language the page is read in.
    del form.fields["language"]
    if request.method == "POST" and form.is_valid():
        # Checked before anything is stored: a refused request joins no one
        # and sends nothing. A client already refused no longer counts
        # against the address it names, so it cannot keep that person's own
        # link from them by sending on.
        refusal = limits.hit("join-client", limits.client_address(request)) or limits.hit(
            "join-email", limits.email_key(form.cleaned_data["email"])
        )
        if refusal is not None:
            return limits.too_many_requests(request, refusal, str(JOIN_REFUSED[refusal.scope]))
        try:
            # Someone new gets the language they joined in for their link and
            # every email after it; someone already in keeps theirs (anyone
            # may type their address here).
            participant = participant_services.participant_join(
                cohort=cohort, language=_page_language() or "", **form.cleaned_data
            )
        except cohort_services.CohortError as error:
            form.add_error(None, str(error))
        else:
            # The personal link goes by email, whether the person just joined
            # or was in already: the page tells nobody who is a member, and
            # joining needs a mailbox one can read.
            outbox.participant_link_send(
                participant=participant,
                link=request.build_absolute_uri(
                    reverse("links:invitation", args=[participant.token])
                ),
            )
            return render(
                request, "cohorts/join_sent.html", {"cohort": cohort, "email": participant.email}
            )
    return render(request, "cohorts/join.html", {"cohort": cohort, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def manager_accept(request: SignedInRequest, token: str) -> HttpResponse:
    invitation = get_manager_invitation(token)
    if request.method == "POST":
        try:
            team_services.manager_invitation_accept(invitation=invitation, user=request.user)
        except cohort_services.CohortError as error:
            messages.error(request, str(error))
            return redirect("taking:home")
        # A manager reads other people's data: a shorter session from now on.
        request.session.set_expiry(settings.STAFF_SESSION_AGE)
        messages.success(request, _("You now manage %(team)s.") % {"team": invitation.team.name})
        return redirect("dashboards:index")
    return render(request, "cohorts/manager_accept.html", {"invitation": invitation})
