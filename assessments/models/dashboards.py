"""Running totals behind the dashboards, and results people chose to share."""

from django.db import models
from django.utils import timezone

from assessments.models.attempts import Result
from assessments.models.cohorts import Cohort
from assessments.models.teams import Team

OVERALL = "overall"


class ScoreTally(models.Model):
    """Completed scores of one team in one cohort, for one measure, in one
    whole-point bucket: how many, their sum and their sum of squares.

    Kept up to date in the same transaction as each submission, so a
    dashboard reads at most 101 rows per measure and group, however many
    people answered: means and spreads are exact (from the sums), quartiles
    are read from the buckets to within a point.

    Dashboards read the published_* columns, a snapshot of the live ones
    taken each time the team's completed count reaches a multiple of the
    cohort's minimum group size. Figures therefore change in steps of at
    least that many people, and comparing a dashboard before and after one
    person finishes reveals nothing about that person.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="tallies")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tallies")
    measure = models.CharField(max_length=32, help_text='"overall" or a dimension key.')
    bucket = models.PositiveSmallIntegerField(help_text="The score rounded down, 0 to 100.")
    count = models.PositiveIntegerField(default=0)
    total = models.FloatField(default=0)
    total_sq = models.FloatField(default=0)
    published_count = models.PositiveIntegerField(default=0)
    published_total = models.FloatField(default=0)
    published_total_sq = models.FloatField(default=0)

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
