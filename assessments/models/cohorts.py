"""Cohorts run by HR admins, the people invited to them, and their CSV imports.

The tokens behind personal links are made here (migrations name these
functions, so they stay in this module)."""

import secrets
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.banks import BankVersion

MIN_GROUP_SIZE_FLOOR = 3
DEFAULT_MIN_GROUP_SIZE = 5
# Retention: what is kept about a cohort's people after it closes, by
# default (docs/operations.md, "Retention").
DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120
DEFAULT_REMINDER_LIMIT = 3


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_join_code() -> str:
    return secrets.token_urlsafe(9)


def new_pseudonym() -> str:
    """A stable random id that stands for a participant in exports."""
    return f"P-{secrets.token_hex(6)}"


class CohortQuerySet(models.QuerySet):
    def for_hr_admin(self, user) -> "CohortQuerySet":
        """Every cohort for an HR admin, none for anyone else."""
        from assessments.roles import is_hr_admin

        return self if is_hr_admin(user) else self.none()


class Cohort(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Retention(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise: keep the answers and results, with nobody's name")
        DELETE = "delete", _("Delete the answers and results too")

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    bank_version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="cohorts")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(default=DEFAULT_MIN_GROUP_SIZE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    identified = models.BooleanField(
        default=False,
        help_text=_(
            "HR may see who scored what. Chosen before anyone answers; never switched on later."
        ),
    )
    join_code = models.CharField(max_length=32, unique=True, default=new_join_code, editable=False)
    join_enabled = models.BooleanField(default=False)
    teams = models.ManyToManyField("assessments.Team", related_name="cohorts", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    figures_version = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Bumped when its dashboard figures may change.")
    )
    # Scheduled reminders (ScheduledReminder holds the days) and their text.
    reminder_time = models.TimeField(
        default=time(9, 0), help_text=_("The time of day scheduled reminders go out.")
    )
    reminder_limit = models.PositiveSmallIntegerField(
        default=DEFAULT_REMINDER_LIMIT,
        help_text=_("The most reminders one person gets, sent by hand or on schedule."),
    )
    reminder_subject = models.CharField(max_length=200, blank=True)
    reminder_body = models.TextField(blank=True)
    # Retention: what happens to the people's records after the cohort closes.
    retention_months = models.PositiveSmallIntegerField(default=DEFAULT_RETENTION_MONTHS)
    retention_action = models.CharField(
        max_length=12, choices=Retention.choices, default=Retention.ANONYMISE
    )
    retained_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the retention rule removed the people's records.")
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("manage_cohorts", "Can run cohorts, invitations, banks and exports")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="cohort_min_group_size_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="cohort_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    retention_months__gte=1, retention_months__lte=MAX_RETENTION_MONTHS
                ),
                name="cohort_retention_months_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_accepting(self, now=None) -> bool:
        """Whether invitation and join links work right now."""
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class ScheduledReminder(models.Model):
    """A reminder HR scheduled: some days before the cohort closes (0 for
    the last day), at the cohort's reminder time, to everyone who has not
    completed. The task engine queues it once (``cohorts.reminders``); the
    time follows the cohort's closing time if that moves."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="scheduled_reminders")
    days_before = models.PositiveSmallIntegerField(
        help_text=_("Days before the close; 0 is the last day.")
    )
    done_at = models.DateTimeField(null=True, blank=True)
    queued = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("How many reminders it queued.")
    )
    outcome = models.CharField(
        max_length=200, blank=True, help_text=_("Why none went, if none did.")
    )

    class Meta:
        ordering = ["-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "days_before"], name="unique_reminder_day_per_cohort"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}: {self.days_before} days before the close"


class ParticipantQuerySet(models.QuerySet):
    def present(self) -> "ParticipantQuerySet":
        """People still taking part: not those who deleted their data."""
        return self.filter(withdrawn_at__isnull=True)


class Participant(models.Model):
    """A person brought into a cohort, with a personal invitation link."""

    class Source(models.TextChoices):
        CSV = "csv", _("CSV upload")
        MANUAL = "manual", _("Added by HR")
        JOIN = "join", _("Open join link")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    team = models.ForeignKey(
        "assessments.Team", on_delete=models.PROTECT, related_name="participants"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    pseudonym = models.CharField(max_length=20, unique=True, default=new_pseudonym, editable=False)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language this person's emails are written in: set by HR, or the one they "
            "last used the site in through their link; empty means the organisation's."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    team_confirmed = models.BooleanField(
        default=True,
        help_text=_(
            "Whether an HR admin stands behind this person's team. People who join through "
            "the open link name their own team, so their result counts towards it only once "
            "HR has confirmed it: nobody can stuff a small team to see its figures."
        ),
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When this person's result first entered their team's published figures."),
    )
    release = models.ForeignKey(
        "assessments.Release",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        help_text=_("The one release of their team's figures that holds their result."),
    )
    shared_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When this person first shared their result with their managers. Never cleared: "
            "a result once seen by name never enters the figures."
        ),
    )
    withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the person deleted their data. Their answers and result are gone, their "
            "name and email are replaced, and no email goes to them any more; the row stays "
            "so that their link can say what happened."
        ),
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "cohort", Lower("email"), name="unique_participant_email_per_cohort"
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "team"]),
            # HR's pages of people, by name.
            models.Index(fields=["cohort", "name"]),
            # The few whose team, chosen through the join link, waits for HR:
            # counted on every view of the cohort's page.
            models.Index(
                fields=["cohort"],
                condition=models.Q(team_confirmed=False, withdrawn_at__isnull=True),
                name="participant_team_to_confirm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class TeamProgress(models.Model):
    """How far one team's people in a cohort have got, kept up to date as
    they move (``assessments.cohorts.progress``): HR's completion page
    reads these few rows instead of counting a cohort's thousands of people
    on every visit. Counts of people still taking part; "invited" as
    ``cohorts.selectors.invited`` means it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="progress")
    team = models.ForeignKey("assessments.Team", on_delete=models.CASCADE, related_name="+")
    people = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "team"], name="unique_team_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}/{self.team_id}: {self.completed} of {self.invited} invited"


class ParticipantImport(models.Model):
    """A validated CSV upload waiting for an HR admin to confirm or cancel it.

    Nothing in it is a participant yet: the rows become participants only on
    confirmation, all together or not at all.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        APPLIED = "applied", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rows = models.JSONField(default=list, help_text=_("Valid rows: name, email, team."))
    rejected = models.JSONField(default=list, help_text=_("Rejected rows: line, reason, values."))
    new_teams = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Import of {len(self.rows)} rows into {self.cohort}"
