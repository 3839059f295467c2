"""Writes that touch several rows: each is one transaction, all or nothing."""

from .attempts import (
    AttemptError,
    CohortClosed,
    IncompleteAttempt,
    attempt_finish,
    attempt_start,
    attempt_submit,
    attempts_claim,
    responses_save,
)
from .personal_data import participant_data_delete, user_data_delete

__all__ = [
    "AttemptError",
    "CohortClosed",
    "IncompleteAttempt",
    "attempt_finish",
    "attempt_start",
    "attempt_submit",
    "attempts_claim",
    "participant_data_delete",
    "responses_save",
    "user_data_delete",
]
