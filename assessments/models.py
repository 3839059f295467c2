"""The question bank, attempts, answers and results.

Two invariants are enforced by the database itself (see migration 0002), so
that no code path, admin page or stray ``QuerySet.update()`` can break them:
the items of a published bank version never change, and a stored result never
changes after it is written.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import scoring


class Dimension(models.Model):
    """One of the article's three differences between selling and leading."""

    key = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    seller_pole = models.CharField(max_length=200)
    leader_pole = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Bank(models.Model):
    """A question bank; its content lives in numbered versions."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class BankVersionQuerySet(models.QuerySet):
    def published(self) -> "BankVersionQuerySet":
        return self.filter(status=BankVersion.Status.PUBLISHED)

    def current(self, bank_slug: str = "default") -> "BankVersion | None":
        """The newest published version of a bank: what a new attempt uses."""
        return self.published().filter(bank__slug=bank_slug).order_by("-number").first()


class BankVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = BankVersionQuerySet.as_manager()

    class Meta:
        ordering = ["bank", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="unique_bank_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.bank.name} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Pole(models.TextChoices):
    SELLER = scoring.SELLER, "Seller"
    LEADER = scoring.LEADER, "Leader"


class Item(models.Model):
    """A Likert statement keyed to one dimension and one pole."""

    version = models.ForeignKey(BankVersion, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="items")
    pole = models.CharField(max_length=8, choices=Pole.choices)
    text = models.CharField(max_length=300)
    passage = models.CharField(
        max_length=64, blank=True, help_text="Key of the article passage the item comes from."
    )
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="unique_item_order"),
            models.CheckConstraint(
                condition=models.Q(pole__in=[scoring.SELLER, scoring.LEADER]),
                name="item_pole_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text


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
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
    )
    bank_version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

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


class BandLabelMixin:
    band: str

    @property
    def band_label(self) -> str:
        return scoring.BANDS_BY_KEY[self.band].label


def new_result_token() -> str:
    return secrets.token_urlsafe(24)


class Result(BandLabelMixin, models.Model):
    """The scores of a submitted attempt, written once and never changed.

    It records the bank version and scoring version it was computed with, so
    a later bank or a new scoring model never rewrites someone's past.
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="result")
    token = models.CharField(max_length=64, unique=True, default=new_result_token, editable=False)
    bank_version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="+")
    scoring_version = models.CharField(max_length=16)
    overall = models.FloatField()
    band = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=0, overall__lte=100), name="result_overall_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Result {self.overall:.0f} ({self.band})"


class DimensionScore(BandLabelMixin, models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    band = models.CharField(max_length=32)

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
