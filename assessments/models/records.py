"""What HR did that leaves the building: emails sent to participants, and exports."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models.cohorts import Cohort, Participant


class OutboundEmail(models.Model):
    """One email queued or sent: the record of what went to whom and when."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        REMINDER = "reminder", "Reminder"
        MANAGER_INVITATION = "manager_invitation", "Manager invitation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at"]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.get_status_display()})"


class ExportRecord(models.Model):
    """Who exported a cohort's results, when, and whether names were in it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    format = models.CharField(max_length=8)
    identified = models.BooleanField()
    row_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        kind = "identified" if self.identified else "pseudonymised"
        return f"{kind} {self.format} export of {self.cohort}"
