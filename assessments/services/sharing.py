"""A participant's choice to show their own result to their team's managers."""

from django.db import transaction
from django.db.models import F

from ..models import Cohort, Result, ResultShare


class SharingError(Exception):
    """The result cannot be shared; the message is for the participant."""


@transaction.atomic
def result_share_set(*, result: Result, shared: bool) -> ResultShare | None:
    """Share a cohort result with its team's managers, or stop sharing it."""
    participant = result.attempt.participant
    if participant is None:
        raise SharingError("Only a result taken with a team in a cohort can be shared.")
    # Shares change which teams may be shown: cached dashboards must go.
    Cohort.objects.filter(pk=participant.cohort_id).update(figures_version=F("figures_version") + 1)
    if not shared:
        ResultShare.objects.filter(result=result).delete()
        return None
    share, _ = ResultShare.objects.get_or_create(
        result=result, defaults={"team_id": participant.team_id}
    )
    return share
