"""Reads for the question-bank pages: banks, versions and their item counts."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from assessments.banks.rules import FORMAT, SCENARIO_FORMAT, option_problem
from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.models import Bank, BankVersion, Dimension, Item

MIN_ITEMS_PER_DIMENSION = 6


@dataclass(frozen=True)
class DimensionCount:
    dimension: Dimension
    seller: int
    leader: int
    scenario: int = 0
    attention: int = 0  # listed with the dimension, never scored: not in the total

    @property
    def total(self) -> int:
        return self.seller + self.leader + self.scenario


def dimension_counts(versions: Iterable[BankVersion]) -> dict[int, list[DimensionCount]]:
    """Version id -> seller- and leader-keyed statements and scenarios per dimension.

    Counted by the database in one query, whatever the number of versions.
    """
    ids = [version.pk for version in versions]
    rows = (
        Item.objects.filter(version_id__in=ids)
        .values("version_id", "dimension_id")
        .annotate(
            seller=Count("id", filter=Q(pole=scoring.SELLER)),
            leader=Count("id", filter=Q(pole=scoring.LEADER)),
            scenario=Count("id", filter=Q(kind=Item.Kind.SCENARIO)),
            attention=Count("id", filter=Q(kind=Item.Kind.ATTENTION)),
        )
        .order_by()
    )
    found: dict[tuple[int, int], Mapping[str, Any]] = {
        (row["version_id"], row["dimension_id"]): row for row in rows
    }
    dimensions = list(Dimension.objects.all())
    return {
        version_id: [
            DimensionCount(
                dimension=dimension,
                seller=found.get((version_id, dimension.pk), {}).get("seller", 0),
                leader=found.get((version_id, dimension.pk), {}).get("leader", 0),
                scenario=found.get((version_id, dimension.pk), {}).get("scenario", 0),
                attention=found.get((version_id, dimension.pk), {}).get("attention", 0),
            )
            for dimension in dimensions
        ]
        for version_id in ids
    }


@dataclass(frozen=True)
class VersionRow:
    version: BankVersion
    counts: list[DimensionCount]
    is_current: bool

    @property
    def total(self) -> int:
        return sum(count.total for count in self.counts)


@dataclass(frozen=True)
class BankOverview:
    bank: Bank
    versions: list[VersionRow]

    @property
    def draft(self) -> BankVersion | None:
        return next((row.version for row in self.versions if row.version.is_editable), None)


def banks_overview() -> list[BankOverview]:
    """Every bank with its versions, newest first, and their item counts: three queries."""
    versions = list(BankVersion.objects.select_related("bank").order_by("bank__name", "-number"))
    counts = dimension_counts(versions)
    current: dict[int, int] = {}
    for version in versions:  # newest first: the first published one approved is current
        if version.status == BankVersion.Status.PUBLISHED and version.confidential_use:
            current.setdefault(version.bank_id, version.pk)
    overview: dict[int, BankOverview] = {}
    for version in versions:
        entry = overview.setdefault(version.bank_id, BankOverview(bank=version.bank, versions=[]))
        entry.versions.append(
            VersionRow(
                version=version,
                counts=counts[version.pk],
                is_current=current.get(version.bank_id) == version.pk,
            )
        )
    return list(overview.values())


def is_current(version: BankVersion) -> bool:
    return BankVersion.objects.current(version.bank.slug) == version


def bank_draft(bank: Bank) -> BankVersion | None:
    return bank.versions.filter(status=BankVersion.Status.DRAFT).first()


def bank_export(version: BankVersion) -> dict[str, Any]:
    """A bank version in the JSON form ``bank_import`` reads back.

    Every dimension is written, so a version with no items yet still names
    them; items are written in their order, which import numbers 1, 2, 3...
    A version with scenarios is written in format 2, one without in format 1,
    which older copies of the product read too.
    """
    bank = version.bank
    items = list(
        version.items.select_related("dimension").prefetch_related("options").order_by("order")
    )
    return {
        "format": FORMAT
        if all(item.kind == Item.Kind.STATEMENT for item in items)
        else SCENARIO_FORMAT,
        "bank": {"slug": bank.slug, "name": bank.name, "description": bank.description},
        "version": {
            "number": version.number,
            "notes": version.notes,
            "shuffle_items": version.shuffle_items,
        },
        "dimensions": [
            {
                "key": dimension.key,
                "name": dimension.name,
                "seller_pole": dimension.seller_pole,
                "leader_pole": dimension.leader_pole,
                "summary": dimension.summary,
            }
            for dimension in Dimension.objects.order_by("order", "id")
        ],
        "items": [_item_export(item) for item in items],
    }


def _item_export(item: Item) -> dict[str, Any]:
    if item.is_attention:
        return {
            "kind": item.kind,
            "dimension": item.dimension.key,
            "text": item.text,
            "expected": item.expected,
            "passage": item.passage,
        }
    if not item.is_scenario:
        return {
            "dimension": item.dimension.key,
            "pole": item.pole,
            "text": item.text,
            "passage": item.passage,
        }
    return {
        "kind": item.kind,
        "dimension": item.dimension.key,
        "text": item.text,
        "passage": item.passage,
        "options": [
            {"text": option.text, "position": option.position} for option in item.options.all()
        ],
    }


def publish_problems(version: BankVersion) -> list[str]:
    """Everything that keeps a draft from being published, in plain words.
    The version page lists them and ``bank_version_publish`` refuses on them."""
    problems = []
    for count in dimension_counts([version])[version.pk]:
        name = count.dimension.name
        if count.total < MIN_ITEMS_PER_DIMENSION:
            problems.append(
                f"“{name}” has {count.total} item{'s' if count.total != 1 else ''}; "
                f"it needs at least {MIN_ITEMS_PER_DIMENSION}."
            )
        if count.seller != count.leader:
            problems.append(
                f"“{name}” has {count.seller} seller-keyed and {count.leader} leader-keyed "
                "items; it needs as many of each."
            )
    items = version.items.order_by("order")
    for order in items.filter(text__regex=r"^\s*$").values_list("order", flat=True):
        problems.append(f"The item at position {order} has no text.")
    repeated = items.values("order").annotate(n=Count("id")).filter(n__gt=1)
    for row in repeated:
        problems.append(f"Position {row['order']} is used by {row['n']} items.")
    statements = list(items.values_list("order", "text"))
    problems += mixed_alphabets(statements) + repeated_statements(statements)
    problems += scenario_problems(version)
    cited = items.exclude(passage="").values_list("order", "passage")
    for order, passage in cited:
        if passage not in PASSAGES:
            problems.append(f"The item at position {order} cites an unknown passage “{passage}”.")
    return problems


def scenario_problems(version: BankVersion) -> list[str]:
    """A scenario needs two to four responses that differ in text and
    position and span enough of the spectrum (banks/rules.py), and no word
    of theirs may mix alphabets."""
    problems = []
    scenarios = version.items.filter(kind=Item.Kind.SCENARIO).prefetch_related("options")
    for item in scenarios.order_by("order"):
        options = [(option.text, option.position) for option in item.options.all()]
        where = f"The scenario at position {item.order}"
        if not scoring.MIN_OPTIONS <= len(options) <= scoring.MAX_OPTIONS:
            problems.append(
                f"{where} has {len(options)} response{'s' if len(options) != 1 else ''}; "
                f"it needs {scoring.MIN_OPTIONS} to {scoring.MAX_OPTIONS}."
            )
            continue
        problem = option_problem(options, where=where)
        if problem:
            problems.append(problem)
        problems += mixed_alphabets((item.order, text) for text, _ in options)
    return problems


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _scripts(word: str) -> set[str]:
    """The alphabets a word's letters come from (LATIN, CYRILLIC, GREEK ...)."""
    return {unicodedata.name(ch, "?").split()[0] for ch in word if ch.isalpha()}


def mixed_alphabets(statements: Iterable[tuple[int, str]]) -> list[str]:
    """Statements with a word that mixes alphabets: a Cyrillic "о" among
    Latin letters looks the same and hides a repeat from the check below."""
    problems = []
    for order, text in statements:
        mixed = [word for word in _plain(text).split() if len(_scripts(word)) > 1]
        if mixed:
            problems.append(
                f"The item at position {order} mixes alphabets in “{mixed[0]}”: letters that "
                "look alike but differ would hide a repeated statement."
            )
    return problems


def repeated_statements(statements: Iterable[tuple[int, str]]) -> list[str]:
    """Statements that repeat another, or hold another whole (a negation
    such as "It is not true that ..."). Besides measuring nothing new, they
    make each person's score one of a few values, which a team's rounded
    mean can then pin (docs/confidentiality.md, rule 10). Paraphrases get
    past this; the second HR admin's reading is what stops those."""
    plain = [(order, _plain(text)) for order, text in statements]
    problems = []
    for order, text in plain:
        for other_order, other in plain:
            if other_order == order or not other:
                continue
            if other == text and other_order < order:
                problems.append(f"The item at position {order} repeats the one at {other_order}.")
                break
            if other != text and len(other) >= 12 and other in text:
                problems.append(
                    f"The item at position {order} holds the whole of the one at {other_order}: "
                    "each statement must ask something of its own."
                )
                break
    return problems
