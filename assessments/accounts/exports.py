"""A person's own data, in a form they can take away.

The keys are the same in every language, so that the file stays one
machine-readable format; what is there to read (the note about it, the
texts of the questions, the kinds and statuses) is in the reader's language.
"""

from typing import Any

from django.contrib.auth.models import User
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from assessments.content.article import credit
from assessments.models import Attempt, OutboundEmail, Participant, Preference, Response


def about() -> str:
    """What the file is, with the article's credit, in the reader's language."""
    return _("Your data from Seller–Leader Spectrum, a self-assessment. %(credit)s") % {
        "credit": credit()
    }


ABOUT = lazy(about, str)()


def user_data(user: User) -> dict[str, Any]:
    """Everything stored about a person: account, attempts, answers, results."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("bank_version__bank", "result")
        .prefetch_related(
            "responses__item__dimension", "responses__item__options", "result__scores__dimension"
        )
        .order_by("started_at")
    )
    return {
        "about": about(),
        "account": {
            "username": user.get_username(),
            "email": getattr(user, "email", ""),
            "date_joined": getattr(user, "date_joined", None),
            "last_login": user.last_login,
        },
        "preferences": _preferences(user),
        "attempts": [_attempt(attempt) for attempt in attempts],
        # Cohort attempts belong to personal links, but an account may hold
        # some from before that rule; what HR holds about those comes too.
        "cohort_memberships": [
            _membership(participant)
            for participant in Participant.objects.filter(attempt__user=user).select_related(
                "cohort", "team"
            )
        ],
    }


def participant_data(participant: Participant) -> dict[str, Any]:
    """Everything stored about a person invited to a cohort, for their
    personal link: what HR holds (name, email, team), the emails sent to
    them, and their answers and result."""
    attempt = (
        Attempt.objects.filter(participant=participant)
        .select_related("bank_version__bank", "result")
        .prefetch_related(
            "responses__item__dimension", "responses__item__options", "result__scores__dimension"
        )
        .first()
    )
    return {
        "about": about(),
        **_membership(participant),
        "attempt": None if attempt is None else _attempt(attempt),
    }


def _preferences(user: User) -> dict[str, str]:
    preference = Preference.objects.filter(user=user).first()
    return {
        "language": preference.language if preference else "",
        "time_zone": preference.time_zone if preference else "",
    }


def _membership(participant: Participant) -> dict[str, Any]:
    emails = OutboundEmail.objects.filter(participant=participant).order_by("queued_at", "pk")
    return {
        "cohort_membership": {
            "cohort": participant.cohort.name,
            "team": participant.team.name,
            "name": participant.name,
            "email": participant.email,
            "added": participant.created_at,
            "added_by": participant.get_source_display(),
            "team_confirmed_by_hr": participant.team_confirmed,
            "in_team_figures_since": participant.published_at,
            "shared_with_managers_since": participant.shared_at,
            "data_deleted_at": participant.withdrawn_at,
            "email_language": participant.language,
        },
        "emails_sent_to_you": [
            {
                "kind": email.get_kind_display(),
                "to": email.to,
                "subject": email.subject,
                "body": email.body,
                "status": email.get_status_display(),
                "queued_at": email.queued_at,
                "sent_at": email.sent_at,
            }
            for email in emails
        ],
    }


def _attempt(attempt: Attempt) -> dict[str, Any]:
    result = getattr(attempt, "result", None)
    return {
        "id": str(attempt.pk),
        "status": attempt.status,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "bank": attempt.bank_version.bank.name,
        "bank_version": attempt.bank_version.number,
        "answers": [_answer(response) for response in attempt.responses.all()],
        "result": None
        if result is None
        else {
            "overall": result.overall,
            "band": result.band,
            "scoring_version": result.scoring_version,
            "created_at": result.created_at,
            # The 95% band's half-width and why the answers could not be read,
            # if they could not (docs/psychometrics.md); empty on older results.
            "margin": result.margin,
            "precision_source": result.precision_source,
            # Not checked before bands were kept: null, not "clear".
            "unclear": result.unclear if result.margin is not None else None,
            "dimensions": {
                score.dimension.key: {
                    "score": score.score,
                    "band": score.band,
                    "margin": score.margin,
                    "unclear": score.unclear if score.margin is not None else None,
                }
                for score in result.scores.all()
            },
        },
    }


def _answer(response: Response) -> dict[str, Any]:
    item = response.item
    answer = {
        "item": item.local_text,
        "kind": item.kind,
        "dimension": item.dimension.key,
        "pole": item.pole,
        "value": response.value,
        "answered_at": response.answered_at,
    }
    if item.is_attention:  # never scored: what it asked for beside what was given
        answer.update(expected=item.expected)
    if item.is_scenario:
        # The response chosen, and where it sits on the spectrum.
        chosen = next(option for option in item.options.all() if option.order == response.value)
        answer.update(response=chosen.local_text, position=chosen.position)
    return answer
