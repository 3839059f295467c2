"""The audit log: who granted or removed a role, signed in as staff, read a
page of names, exported, deleted, and when (docs/audit.md).

Append-only in the database itself: triggers refuse every UPDATE and
DELETE of its rows (``migrations/_audit_triggers_v1.py``), as they refuse
changes to a stored result. Rows are written only by
``assessments.audit.services.audit_record``, which keeps answers, scores,
names and email addresses out of them.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One action, as it happened. Never changed, never deleted."""

    class Action(models.TextChoices):
        # Stable keys: they are stored, filtered on and exported. Add new
        # ones; never rename one.
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REMOVED = "role_removed", _("Role removed")
        STAFF_SIGNED_IN = "staff_signed_in", _("Staff signed in")
        STAFF_SIGN_IN_FAILED = "staff_sign_in_failed", _("Staff sign-in failed")
        NAMES_READ = "names_read", _("Page with names read")
        EXPORTED = "exported", _("Exported")
        PARTICIPANT_REMOVED = "participant_removed", _("Participant removed")
        PARTICIPANT_DATA_DELETED = "participant_data_deleted", _("Participant's data deleted")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        # A cohort's retention rule applied (assessments/cohorts/retention.py).
        RETENTION_RUN = "retention_run", _("Retention run")

    at = models.DateTimeField(db_default=Now())
    action = models.CharField(max_length=32, choices=Action.choices)
    # The actor as plain values, not a foreign key: a deleted account would
    # otherwise set the column to NULL, an UPDATE the triggers would have to
    # let through. The id stays as it was (ids are never reused), and it
    # says who did it after the account is gone.
    actor_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_("The account's id; empty for a link, a command or a job."),
    )
    actor_name = models.CharField(
        max_length=150,
        blank=True,
        help_text=_(
            "The username of a staff actor (superuser, HR admin, manager), as it was then."
        ),
    )
    target = models.CharField(
        max_length=64, blank=True, help_text=_("What was acted on: its kind and id, as cohort:3.")
    )
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="audit_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["actor_name", "-at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        who = self.actor_name or (f"user {self.actor_id}" if self.actor_id else "nobody signed in")
        return f"{self.get_action_display()}: {self.target or '-'} by {who}"


# The app has no ready() of its own, and Django imports every app's models
# at start: the sign-in receivers connect here, before any request or test.
from assessments.audit import receivers  # noqa: E402, F401
