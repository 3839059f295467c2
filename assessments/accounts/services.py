"""Deleting what is stored about a person, whether they have an account or
only a personal invitation link."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.audit.services import Action, audit_record
from assessments.cohorts.progress import progress_recount
from assessments.dashboards.tallies import counted, result_scores, tallies_add
from assessments.models import Attempt, Cohort, OutboundEmail, Participant

# What stands in for a deleted person's name, and the address in place of
# theirs: `.invalid` is reserved, so nothing can ever be sent to it.
WITHDRAWN_NAME = "Deleted at their request"


def withdrawn_email(participant: Participant) -> str:
    return f"deleted-{participant.pk}@withdrawn.invalid"


@transaction.atomic
def participant_data_delete(*, participant: Participant, by: User | None = None) -> Participant:
    """Delete a cohort participant's answers and result, and what HR holds
    about them: their name and email are replaced, emails not yet sent are
    dropped, and those sent keep only their kind and dates. No reminder goes
    to them again. Works in a closed cohort too: the right to delete does not
    end when the cohort does.

    Recorded in the audit log, with ``by`` when an account deletes it. From
    the personal link, with no actor even if someone is signed in: the
    product never ties a cohort place to an account (docs/confidentiality.md,
    rule 8), and the log does not either.
    """
    # The cohort's lock first, as a submit takes it: a submit racing this
    # deletion either lands before it (and is deleted) or finds the person gone.
    Cohort.objects.select_for_update().get(pk=participant.cohort_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.withdrawn_at is not None:
        return participant
    attempt = Attempt.objects.filter(participant=participant).select_related("result").first()
    result = getattr(attempt, "result", None) if attempt is not None else None
    if attempt is not None:
        if result is not None and counted(participant):
            # Out of the live tallies now, so in no later release; the
            # release already made with it stays as it was shown
            # (docs/confidentiality.md, rules 1 and 9).
            tallies_add(
                cohort_id=participant.cohort_id,
                team_id=participant.team_id,
                scores=result_scores(result),
                sign=-1,
            )
        attempt.delete()
    emails = OutboundEmail.objects.filter(participant=participant)
    emails.exclude(status__in=[OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED]).delete()
    emails.update(to=withdrawn_email(participant), body="", error="")
    participant.name = WITHDRAWN_NAME
    participant.email = withdrawn_email(participant)
    participant.language = ""
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["name", "email", "language", "withdrawn_at"])
    progress_recount(participant.cohort_id, [participant.team_id])
    deleted = {"attempt_deleted": attempt is not None, "result_deleted": result is not None}
    detail = {"cohort": participant.cohort_id, **deleted}
    audit_record(
        action=Action.PARTICIPANT_DATA_DELETED, actor=by, target=participant, detail=detail
    )
    return participant


@transaction.atomic
def user_data_delete(*, user: User) -> None:
    """Delete the account and everything stored about the person.

    Cohort attempts belong to a personal link, never to an account, but an
    account may hold some from before that rule: those people leave their
    cohorts as if they had deleted through their link.
    """
    participants = Participant.objects.filter(attempt__user=user)
    for participant in participants:
        participant_data_delete(participant=participant, by=user)
    # Counted after the cohort attempts above are gone: what goes with the account.
    attempts = Attempt.objects.filter(user=user)
    detail = {
        "attempts": attempts.count(),
        "results": attempts.filter(result__isnull=False).count(),
    }
    audit_record(action=Action.ACCOUNT_DELETED, actor=user, target=user, detail=detail)
    user.delete()
