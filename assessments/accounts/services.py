"""Deleting what is stored about a person, whether they have an account or
only a personal invitation link."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.cohorts.progress import progress_recount
from assessments.dashboards.tallies import counted, result_scores, tallies_add
from assessments.models import Attempt, Cohort, OutboundEmail, Participant

# What stands in for a deleted person's name, and the address in place of
# theirs: `.invalid` is reserved, so nothing can ever be sent to it.
WITHDRAWN_NAME = "Deleted at their request"


def withdrawn_email(participant: Participant) -> str:
    return f"deleted-{participant.pk}@withdrawn.invalid"


@transaction.atomic
def participant_data_delete(*, participant: Participant) -> Participant:
    """Delete a cohort participant's answers and result, and what HR holds
    about them: their name and email are replaced, emails not yet sent are
    dropped, and those sent keep only their kind and dates. No reminder goes
    to them again. Works in a closed cohort too: the right to delete does not
    end when the cohort does.
    """
    # The cohort's lock first, as a submit takes it: a submit racing this
    # deletion either lands before it (and is deleted) or finds the person gone.
    Cohort.objects.select_for_update().get(pk=participant.cohort_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.withdrawn_at is not None:
        return participant
    attempt = Attempt.objects.filter(participant=participant).select_related("result").first()
    if attempt is not None:
        result = getattr(attempt, "result", None)
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
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["name", "email", "withdrawn_at"])
    progress_recount(participant.cohort_id, [participant.team_id])
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
        participant_data_delete(participant=participant)
    user.delete()
