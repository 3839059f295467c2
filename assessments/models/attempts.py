"""Attempts, their answers, and the results computed from them."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.content import scoring
from assessments.models.banks import BankVersion, Dimension, Item


class AttemptQuerySet(models.QuerySet):
    def in_progress(self) -> "AttemptQuerySet":
        return self.filter(status=Attempt.Status.IN_PROGRESS)

    def submitted(self) -> "AttemptQuerySet":
        return self.filter(status=Attempt.Status.SUBMITTED)


class Attempt(models.Model):
    """One sitting of the assessment, from the first page to the result.

    The primary key is a random UUID because it appears in URLs; it is not a
    secret, though: every view checks that the attempt belongs to whoever asks.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
    )
    bank_version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField(
        "Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attempt",
        help_text=_("Set when the attempt was taken through a cohort invitation."),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    order_seed = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Seeds the order of the statements when the version shuffles them; set when the "
            "attempt starts and never changed, so resume, Back and reload keep the order."
        ),
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"Attempt {self.id} ({self.get_status_display()})"


class Response(models.Model):
    """One answer to one item, saved as the person goes."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="responses")
    value = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item__order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="unique_response_per_item"),
            models.CheckConstraint(
                condition=models.Q(value__gte=scoring.LIKERT_MIN, value__lte=scoring.LIKERT_MAX),
                name="response_value_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"


# Every database's positive integer column holds this range.
ORDER_SEED_LIMIT = 2**31


def new_order_seed(bank_version: BankVersion) -> int | None:
    """The seed of a new attempt's statement order, or None to keep the listed order.

    Every place that creates an attempt takes its seed from here, so that no
    path starts an attempt of a shuffling version in the listed order.
    """
    return secrets.randbelow(ORDER_SEED_LIMIT) if bank_version.shuffle_items else None


def new_result_token() -> str:
    return secrets.token_urlsafe(24)


class Result(models.Model):
    """The scores of a submitted attempt, written once and never changed.

    It records the bank version and scoring version it was computed with, so
    a later bank or a new scoring model never rewrites someone's past.
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="result")
    token = models.CharField(max_length=64, unique=True, default=new_result_token, editable=False)
    bank_version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="+")
    scoring_version = models.CharField(max_length=16)
    overall = models.FloatField()
    band = models.CharField(max_length=32, choices=scoring.BAND_CHOICES)
    created_at = models.DateTimeField(default=timezone.now)
    # How precise the scores are, as worked out when the result was given
    # (content/measurement.py); empty on results from before that.
    margin = models.FloatField(
        null=True,
        blank=True,
        help_text=_("Half the width of the overall score's 95% band, when the result was given."),
    )
    precision_source = models.CharField(
        max_length=8,
        blank=True,
        help_text=_("Where the band's precision came from: 'prior' (a stated estimate) or 'data'."),
    )
    unclear = models.CharField(
        max_length=16,
        blank=True,
        choices=[
            ("same_answer", "The same answer to every statement"),
            ("both_poles", "Both ends of a difference agreed with (or rejected)"),
            ("careless", "An attention check answered otherwise than it asked"),
        ],
        help_text=_("Why the answers cannot be read as a position overall, if they cannot."),
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=0, overall__lte=100), name="result_overall_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Result {self.overall:.0f} ({self.band})"


class DimensionScore(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    band = models.CharField(max_length=32, choices=scoring.BAND_CHOICES)
    margin = models.FloatField(
        null=True,
        blank=True,
        help_text=_("Half the width of the score's 95% band, when the result was given."),
    )
    unclear = models.BooleanField(
        default=False,
        help_text=_(
            "The answers to this difference contradict each other (measurement.consistency)."
        ),
    )

    class Meta:
        ordering = ["dimension__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "dimension"], name="unique_score_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id}: {self.score:.0f}"
