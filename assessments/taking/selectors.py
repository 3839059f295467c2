"""Reads shaped for pages: one place for each question a view asks."""

import random
from collections.abc import Iterable
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
    with_options,
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
    def has_scenarios(self) -> bool:
        return any(item.is_scenario for item in self.items)

    @property
    def has_statements(self) -> bool:
        return any(not item.is_scenario for item in self.items)

    @property
    def first_number(self) -> int:
        """The question number of the page's first item, counting from 1."""
        return (self.number - 1) * PAGE_SIZE + 1


def page_count(version: BankVersion) -> int:
    return _pages(version.items.count())


def _pages(items: int) -> int:
    return max(1, ceil(items / PAGE_SIZE))


def attempt_items(attempt: Attempt) -> list[Item]:
    """The attempt's items in the order its pages show them.

    The listed order (``Item.order``) unless the attempt has an order seed,
    then that order shuffled by a generator seeded with it. A version's items
    never change once published and the seed never changes, so every request
    of the attempt (a reload, Back, resuming days later) gets the same order,
    and an answer stays on the page where the person gave it. The seed, not the
    version's setting, decides, so an attempt keeps the order it started with.
    """
    items = list(Item.objects.filter(version_id=attempt.bank_version_id).order_by("order"))
    return items if attempt.order_seed is None else _shuffled(items, attempt.order_seed)


def _shuffled(items: list[Item], seed: int) -> list[Item]:
    """Fisher-Yates driven by ``Random(seed).random()`` alone.

    Python promises that ``random()`` gives the same sequence for the same
    integer seed in every version, but not ``shuffle``: an upgrade during
    someone's attempt must not move their statements to other pages.
    """
    rng = random.Random(seed)  # noqa: S311 - an order, not a secret
    items = list(items)
    for last in range(len(items) - 1, 0, -1):
        other = int(rng.random() * (last + 1))
        items[last], items[other] = items[other], items[last]
    return items


def page_of_items(attempt: Attempt, number: int) -> Page | None:
    """The items on page ``number`` (from 1), or None past the last page,
    scenarios with their responses."""
    items = attempt_items(attempt)
    count = _pages(len(items))
    if not 1 <= number <= count:
        return None
    start = (number - 1) * PAGE_SIZE
    shown = with_options(items[start : start + PAGE_SIZE])
    return Page(number=number, count=count, items=shown)


def page_number_of(attempt: Attempt, items: Iterable[Item]) -> int:
    """The first page, in the attempt's order, that shows any of ``items``;
    the last page when none of them is the attempt's."""
    return _first_page_with(attempt_items(attempt), {item.pk for item in items})


def resume_page_number(attempt: Attempt) -> int:
    """Where to carry on: the page of the first unanswered question, in the
    attempt's order, or the last page when every question has an answer."""
    answered = set(attempt.responses.values_list("item_id", flat=True))
    ordered = attempt_items(attempt)
    return _first_page_with(ordered, {item.pk for item in ordered} - answered)


def _first_page_with(ordered: list[Item], wanted: set[int]) -> int:
    return next(
        (index // PAGE_SIZE + 1 for index, item in enumerate(ordered) if item.pk in wanted),
        _pages(len(ordered)),
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
