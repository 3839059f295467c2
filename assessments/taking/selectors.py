"""Reads shaped for pages: one place for each question a view asks."""

from dataclasses import dataclass
from math import ceil

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from assessments.models import (
    Attempt,
    AttemptQuerySet,
    BankVersion,
    DimensionScore,
    Item,
    Result,
)

PAGE_SIZE = 6


@dataclass(frozen=True)
class Page:
    number: int
    count: int
    items: list[Item]

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == self.count

    @property
    def first_number(self) -> int:
        """The question number of the page's first item, counting from 1."""
        return (self.number - 1) * PAGE_SIZE + 1


def page_count(version: BankVersion) -> int:
    return max(1, ceil(version.items.count() / PAGE_SIZE))


def page_of_items(version: BankVersion, number: int) -> Page | None:
    """The items on page ``number`` (from 1), or None past the last page."""
    count = page_count(version)
    if not 1 <= number <= count:
        return None
    start = (number - 1) * PAGE_SIZE
    items = list(version.items.order_by("order")[start : start + PAGE_SIZE])
    return Page(number=number, count=count, items=items)


def page_number_of(item: Item) -> int:
    return (
        Item.objects.filter(version_id=item.version_id, order__lt=item.order).count() // PAGE_SIZE
        + 1
    )


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def attempt_progress(attempt: Attempt) -> Progress:
    return Progress(
        answered=attempt.responses.count(),
        total=Item.objects.filter(version_id=attempt.bank_version_id).count(),
    )


def saved_answers(attempt: Attempt, items: list[Item]) -> dict[int, int]:
    return dict(attempt.responses.filter(item__in=items).values_list("item_id", "value"))


def _with_scores(results: QuerySet[Result]) -> QuerySet[Result]:
    return results.select_related("bank_version__bank", "attempt").prefetch_related(
        Prefetch("scores", queryset=DimensionScore.objects.select_related("dimension"))
    )


def result_with_scores(result: Result) -> Result:
    return _with_scores(Result.objects.filter(pk=result.pk)).get()


def results_for_user(user: User) -> QuerySet[Result]:
    """A person's results, oldest first, with their dimension scores."""
    return _with_scores(Result.objects.filter(attempt__user=user)).order_by("created_at")


def in_progress_attempt(attempts: AttemptQuerySet) -> Attempt | None:
    return attempts.in_progress().order_by("-updated_at").first()
