"""What HR did that leaves the building: emails sent to participants, and exports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.cohorts import Cohort, Participant


class OutboundEmail(models.Model):
    """One email queued or sent: the record of what went to whom and when.

    Also its place in the outbox that the task engine's workers send from
    (``assessments.cohorts.outbox``): a worker claims a batch by writing its
    claim and a lease, marks each email *sending* just before handing it to
    the mail server and *sent* once the server took it, each in its own
    commit. An email left *sending* by a worker that died may or may not
    have reached its reader, so it is marked *interrupted* and never sent
    again without HR's say; one only claimed goes back to the queue when the
    lease runs out.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        MANAGER_INVITATION = "manager_invitation", _("Manager invitation")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    class Priority(models.IntegerChoices):
        # Someone is waiting for it (a link asked for on the join page, one
        # person's invitation): it goes before a cohort's thousands.
        WAITED_FOR = 0, _("Someone is waiting for it")
        BULK = 1, _("Invitations and reminders to a cohort")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.BULK)
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
    claimed_by = models.CharField(
        max_length=32, blank=True, help_text=_("The claim of the worker's batch that last took it.")
    )
    claimed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The claim's lease: after it, another worker may take it."),
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("How many times it was handed to the mail server.")
    )
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text=_("Not sent before then: a retry waits its back-off.")
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    progress_counted = models.BooleanField(
        default=True,
        help_text=_("False while its person's team has not been counted again since it was sent."),
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at"]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            # What a worker claims next: only the waiting emails are in it.
            models.Index(
                fields=["priority", "next_attempt_at"],
                condition=Q(status="queued"),
                name="outbox_ready",
            ),
            # Sent emails whose people's teams wait to be counted again.
            models.Index(
                fields=["status"], condition=Q(progress_counted=False), name="outbox_uncounted"
            ),
            # Claims whose lease ran out: only the emails in flight are in it.
            models.Index(
                fields=["claimed_until"],
                condition=Q(status__in=["queued", "sending"], claimed_until__isnull=False),
                name="outbox_leased",
            ),
        ]

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
