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


# A published (or archived) version's items never change: the database
# refuses it (db_triggers). So each process reads them once, with their
# dimensions and their scenarios' responses, instead of on every page and
# submit. A draft's are read each time. Dimensions are shared with later
# versions and may be renamed by a bank load; nothing read from these items
# shows a dimension's name (pages and results read their own).
_PUBLISHED_ITEMS: dict[int, list[Item]] = {}


def version_items(version_id: int) -> list[Item]:
    """Every item of a version in its listed order, with its dimension and a
    scenario's responses. The list is shared: callers copy before changing it."""
    cached = _PUBLISHED_ITEMS.get(version_id)
    if cached is not None:
        return cached
    read = Item.objects.filter(version_id=version_id).select_related("dimension", "version")
    items = with_options(list(read.order_by("order")))
    # The status comes from the same statement as the items, so a version
    # published at this moment is cached with the items it was published with.
    if items and items[0].version.status != BankVersion.Status.DRAFT:
        _PUBLISHED_ITEMS[version_id] = items
    return items


def forget_published_items() -> None:
    """For tests, whose databases reuse ids from one test to the next."""
    _PUBLISHED_ITEMS.clear()


def page_count(version: BankVersion) -> int:
    return _pages(len(version_items(version.pk)))


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
    items = version_items(attempt.bank_version_id)
    return list(items) if attempt.order_seed is None else _shuffled(items, attempt.order_seed)


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
    return Page(number=number, count=count, items=items[start : start + PAGE_SIZE])


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


def attempt_progress(attempt: Attempt, answered: int | None = None) -> Progress:
    """How far the attempt is; ``answered`` when the caller has just read the answers
    (``saved_answers``), which saves counting them again."""
    if answered is None:
        answered = attempt.responses.count()
    return Progress(answered=answered, total=len(version_items(attempt.bank_version_id)))


def saved_answers(attempt: Attempt) -> dict[int, int]:
    """Item id -> value of every answer saved so far: a page shows its own and counts
    them all in one statement (an attempt has a few dozen)."""
    # No ordering: the default one joins the items to sort what a dict forgets.
    return dict(attempt.responses.order_by().values_list("item_id", "value"))


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
