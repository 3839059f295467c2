"""Teams of the organisation and the managers who read their dashboards."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from assessments.models.cohorts import new_token


class TeamQuerySet(models.QuerySet):
    def for_dashboard(self, user) -> "TeamQuerySet":
        """Teams whose dashboards a person may read: every team for an HR
        admin, the teams they were given for a manager, none for anyone else."""
        from assessments.roles import is_hr_admin

        if is_hr_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers__user=user)


class Team(models.Model):
    """A team of the organisation; it outlives any one cohort."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="unique_team_name_ci"),
        ]
        permissions = [("view_team_dashboard", "Can read the dashboards of their teams")]

    def __str__(self) -> str:
        return self.name


class TeamManager(models.Model):
    """A manager given a team: they see its aggregates, never individuals."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="managers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_teams"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_team_manager"),
        ]

    def __str__(self) -> str:
        return f"{self.user} manages {self.team}"


class ManagerInvitation(models.Model):
    """An email invitation for someone without an account to manage a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="manager_invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.email} for {self.team}"
