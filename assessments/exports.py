"""A person's own data, in a form they can take away."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from . import guidance
from .models import Attempt, Response


def user_data(user: AbstractBaseUser) -> dict[str, Any]:
    """Everything stored about a person: account, attempts, answers, results."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("bank_version__bank", "result")
        .prefetch_related("responses__item__dimension", "result__scores__dimension")
        .order_by("started_at")
    )
    return {
        "about": (
            f"Your data from Seller–Leader Spectrum, an assessment based on {guidance.CREDIT}"
        ),
        "account": {
            "username": user.get_username(),
            "email": getattr(user, "email", ""),
            "date_joined": getattr(user, "date_joined", None),
            "last_login": user.last_login,
        },
        "attempts": [_attempt(attempt) for attempt in attempts],
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
            "dimensions": {
                score.dimension.key: {"score": score.score, "band": score.band}
                for score in result.scores.all()
            },
        },
    }


def _answer(response: Response) -> dict[str, Any]:
    return {
        "item": response.item.text,
        "dimension": response.item.dimension.key,
        "pole": response.item.pole,
        "value": response.value,
        "answered_at": response.answered_at,
    }
