"""Running totals behind the dashboards, and results people chose to share."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.attempts import Result
from assessments.models.cohorts import Cohort
from assessments.models.teams import Team

OVERALL = "overall"


class ScoreTally(models.Model):
    """Completed scores of one team in one cohort, for one measure, in one
    whole-point bucket: how many, their sum and their sum of squares.

    Kept up to date in the same transaction as each submission. These are
    live figures and no page shows them: they say how many have completed,
    and which teams have results. What pages show comes from releases
    (``Release``), each made once from the people counted since the last.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="tallies")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tallies")
    measure = models.CharField(max_length=32, help_text=_('"overall" or a dimension key.'))
    bucket = models.PositiveSmallIntegerField(help_text=_("The score rounded down, 0 to 100."))
    count = models.PositiveIntegerField(default=0)
    total = models.FloatField(default=0)
    total_sq = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "team", "measure", "bucket"], name="unique_score_tally"
            ),
            models.CheckConstraint(
                condition=models.Q(bucket__lte=100), name="score_tally_bucket_in_range"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "measure"])]

    def __str__(self) -> str:
        return f"{self.cohort_id}/{self.team_id} {self.measure} {self.bucket}: {self.count}"


class Release(models.Model):
    """One publication of a team's figures in a cohort: the people counted
    since the team's last release (at least the cohort's minimum group size),
    and each measure's mean over them, rounded once and never again.

    Each result enters exactly one release, and every figure a page, chart
    or download shows is worked out from releases alone, so nothing anyone
    reads, however often and after whatever action, says more about a person
    than the one rounded mean of their release does (docs/confidentiality.md,
    rule 1). A release is never changed or taken back: re-rounding the same
    people without one of them, or with others, would be a second window on
    each of the rest.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="releases")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="releases")
    released_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(help_text=_("How many people's results it holds."))
    step = models.PositiveSmallIntegerField(
        help_text=_("The points each of its means was rounded to: 5, or 1 for a large release.")
    )

    class Meta:
        indexes = [models.Index(fields=["cohort", "team"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gt=0), name="release_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}/{self.team_id} at {self.released_at:%Y-%m-%d %H:%M}: {self.count}"


class ReleasedMean(models.Model):
    """One measure's mean over a release's people, rounded to its step."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="means")
    measure = models.CharField(max_length=32, help_text=_('"overall" or a dimension key.'))
    mean = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "measure"], name="unique_released_mean"),
            models.CheckConstraint(
                condition=models.Q(mean__gte=0, mean__lte=100), name="released_mean_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.release} {self.measure}: {self.mean}"


class ResultShareQuerySet(models.QuerySet):
    def for_manager(self, user) -> "ResultShareQuerySet":
        """Results shared with the teams this person manages (none for
        anyone who manages no team, HR admins included)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__managers__user=user)


class ResultShare(models.Model):
    """A participant chose to show their own result to their team's managers.

    Off unless they turn it on, and gone when they turn it off. Shared
    results are listed on their own, never mixed into aggregates.
    """

    result = models.OneToOneField(Result, on_delete=models.CASCADE, related_name="share")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shared_results")
    shared_at = models.DateTimeField(default=timezone.now)

    objects = ResultShareQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Result {self.result_id} shared with {self.team}"
