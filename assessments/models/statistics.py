"""Item statistics kept in blocks: each a fixed set of results of one bank
version, worked out once, rounded, and never again."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.attempts import Result
from assessments.models.banks import BankVersion
from assessments.models.cohorts import Cohort


class StatisticsBlock(models.Model):
    """The item statistics of one block of results (banks/statistics.py):
    the first ``BLOCK_SIZE`` results of a stream not yet in a block,
    released once with bounded noise (content/noisy_statistics.py) and kept
    as ``figures``.

    Each result is in at most one block (``StatisticsBlockResult``), and the
    pages show only figures worked out from blocks' releases, so a person's
    answers are in one release, however many results come after: an HR
    admin who supplied every other result of a block gets one noisy look at
    the last person, never a fresh one each time a result is added.

    A stream is a cohort's results in its figures while the cohort is not
    closed (``cohort``), or the version's own (``cohort`` empty): results
    taken alone, and those of closed cohorts not yet in a block.
    """

    version = models.ForeignKey(
        BankVersion, on_delete=models.CASCADE, related_name="statistics_blocks"
    )
    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statistics_blocks",
        help_text=_("The cohort whose results it holds; empty for the version's own stream."),
    )
    formed_at = models.DateTimeField(default=timezone.now)
    results = models.PositiveIntegerField(help_text=_("How many results it was worked out from."))
    figures = models.JSONField(
        help_text=_(
            "Per dimension: alpha and its flag; per statement: mean answer, "
            "item-total correlation and whether it is weak, each rounded as shown."
        )
    )

    class Meta:
        indexes = [models.Index(fields=["version", "cohort"])]

    def __str__(self) -> str:
        return f"{self.version} block of {self.results} ({self.formed_at:%Y-%m-%d})"


class StatisticsBlockResult(models.Model):
    """A result's place in the one block that holds it."""

    block = models.ForeignKey(StatisticsBlock, on_delete=models.CASCADE, related_name="members")
    result = models.OneToOneField(Result, on_delete=models.CASCADE, related_name="statistics_block")

    def __str__(self) -> str:
        return f"{self.result_id} in {self.block_id}"
