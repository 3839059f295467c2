"""A participant's choice to show their own result to their team's managers."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.dashboards.tallies import counted, result_scores, tallies_add
from assessments.exceptions import ServiceError
from assessments.models import Cohort, Participant, Result, ResultShare


class SharingError(ServiceError):
    """The result cannot be shared; the message is for the participant."""


ALREADY_IN_FIGURES = gettext_lazy(
    "Your result is already part of your team's published figures. Sharing it now would let "
    "your managers take it away from those figures and learn something about the others, so "
    "it can no longer be shared."
)


@transaction.atomic
def result_share_set(*, result: Result, shared: bool) -> ResultShare | None:
    """Share a cohort result with its team's managers, or stop sharing it.

    A result seen by name must never be part of an aggregate, or the
    aggregate minus that result would describe the rest. So a result can be
    shared only while it is in no published figure, it leaves the live
    tallies when it is shared, and it stays out of them for good, even after
    sharing stops: what the managers saw cannot be unseen.
    """
    participant = result.attempt.participant
    if participant is None:
        raise SharingError(_("Only a result taken with a team in a cohort can be shared."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not shared:
        ResultShare.objects.filter(result=result).delete()
        return None
    if participant.published_at is not None:
        raise SharingError(str(ALREADY_IN_FIGURES))
    if counted(participant):
        tallies_add(
            cohort_id=participant.cohort_id,
            team_id=participant.team_id,
            scores=result_scores(result),
            sign=-1,
        )
    if participant.shared_at is None:
        participant.shared_at = timezone.now()
        participant.save(update_fields=["shared_at"])
    # The list of shared results is part of a cached dashboard.
    Cohort.objects.filter(pk=participant.cohort_id).update(figures_version=F("figures_version") + 1)
    share, _created = ResultShare.objects.get_or_create(
        result=result, defaults={"team_id": participant.team_id}
    )
    return share


def can_share(result: Result) -> bool:
    """Whether the share button should be offered for this result."""
    participant = result.attempt.participant
    return participant is not None and participant.published_at is None
