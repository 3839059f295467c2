"""Reads for the question-bank pages: banks, versions and their item counts."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.banks.rules import (
    FILE_LANGUAGE,
    FORMAT,
    SCENARIO_FORMAT,
    TRANSLATION_FORMAT,
    TranslationGap,
    option_problem,
    translation_gaps,
    translation_problems,
)
from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.languages import language_label, language_name
from assessments.models import Bank, BankVersion, Dimension, Item, ItemOption

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
    which older copies of the product read too; one in another language than
    English, offered in more than one or with translations, in format 3,
    with its translations in the languages it offers.
    """
    bank = version.bank
    items = list(
        version.items.select_related("dimension").prefetch_related("options").order_by("order")
    )
    translated = _needs_translation_format(version, items)
    exported: dict[str, Any] = {
        "format": TRANSLATION_FORMAT
        if translated
        else FORMAT
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
    if translated:
        offered = [code for code in version.languages if code != version.language]
        exported["version"].update(language=version.language, languages=list(version.languages))
        if bank_translations := _translations_export(bank, offered):
            exported["bank"]["translations"] = bank_translations
        for entry, dimension in zip(
            exported["dimensions"], Dimension.objects.order_by("order", "id"), strict=True
        ):
            entry["translations"] = _translations_export(dimension, offered)
        for entry, item in zip(exported["items"], items, strict=True):
            entry["translations"] = _translations_export(item, offered)
            for option_entry, option in zip(
                entry.get("options", []), item.options.all(), strict=True
            ):
                option_entry["translations"] = _translations_export(option, offered)
    return exported


def _needs_translation_format(version: BankVersion, items: list[Item]) -> bool:
    if version.language != FILE_LANGUAGE or list(version.languages) != [version.language]:
        return True
    return any(item.translations for item in items) or any(
        option.translations for item in items for option in item.options.all()
    )


def _translations_export(
    row: Bank | Dimension | Item | ItemOption, languages: list[str]
) -> dict[str, dict[str, str]]:
    """A row's texts in the given languages, leaving out the empty ones."""
    exported = {}
    for language in languages:
        texts = {
            name: text
            for name in row.TRANSLATED_FIELDS
            if (text := (row.translations or {}).get(language, {}).get(name, "").strip())
        }
        if texts:
            exported[language] = texts
    return exported


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
        name = count.dimension.local_name
        if count.total < MIN_ITEMS_PER_DIMENSION:
            problems.append(
                ngettext(
                    "“%(name)s” has %(count)s item; it needs at least %(needed)s.",
                    "“%(name)s” has %(count)s items; it needs at least %(needed)s.",
                    count.total,
                )
                % {"name": name, "count": count.total, "needed": MIN_ITEMS_PER_DIMENSION}
            )
        if count.seller != count.leader:
            problems.append(
                _(
                    "“%(name)s” has %(seller)s seller-keyed and %(leader)s leader-keyed "
                    "items; it needs as many of each."
                )
                % {"name": name, "seller": count.seller, "leader": count.leader}
            )
    items = version.items.order_by("order")
    for order in items.filter(text__regex=r"^\s*$").values_list("order", flat=True):
        problems.append(_("The item at position %(order)s has no text.") % {"order": order})
    repeated = items.values("order").annotate(n=Count("id")).filter(n__gt=1)
    for row in repeated:
        problems.append(
            _("Position %(order)s is used by %(count)s items.")
            % {"order": row["order"], "count": row["n"]}
        )
    statements = list(items.values_list("order", "text"))
    problems += mixed_alphabets(statements) + repeated_statements(statements)
    problems += scenario_problems(version)
    cited = items.exclude(passage="").values_list("order", "passage")
    for order, passage in cited:
        if passage not in PASSAGES:
            problems.append(
                _("The item at position %(order)s cites an unknown passage “%(passage)s”.")
                % {"order": order, "passage": passage}
            )
    items_read = list(items.select_related("dimension").prefetch_related("options"))
    problems += translated_repeats(version, items_read)
    problems += translation_problems(version_translation_gaps(version, items_read))
    return problems


def translated_repeats(version: BankVersion, items: list[Item]) -> list[str]:
    """The checks on statements' words, run on each offered language's texts
    too: a repeat in German singles people out as surely as one in English."""
    problems = []
    for language in version.languages:
        if language == version.language:
            continue
        texts = [
            (item.order, text)
            for item in items
            if (text := (item.translations or {}).get(language, {}).get("text", ""))
        ]
        problems += [
            _("In %(language)s: %(problem)s") % {"language": language_name(language), "problem": p}
            for p in mixed_alphabets(texts) + repeated_statements(texts)
        ]
    return problems


def version_translation_gaps(
    version: BankVersion, items: Iterable[Item] | None = None
) -> list[TranslationGap]:
    """What each language the version offers besides its own still lacks
    (banks/rules.py). ``items``, if given, are the version's items with
    their dimensions and options read; otherwise they are read here."""
    if items is None:
        items = version.items.select_related("dimension").prefetch_related("options")
    return translation_gaps(source=version.language, languages=version.languages, items=items)


@dataclass(frozen=True)
class TranslatedText:
    language: str
    label: str  # the language's own name
    text: str  # empty where it has none yet


@dataclass(frozen=True)
class EditorRow:
    """An item as the version page lists it: its texts in the other offered
    languages, its responses' too, and the languages it (or one of its
    responses) has no text in yet."""

    item: Item
    texts: list[TranslatedText]
    options: list[tuple[ItemOption, list[TranslatedText]]]
    missing: list[str]


def _texts(row: Item | ItemOption, languages: list[str]) -> list[TranslatedText]:
    return [
        TranslatedText(
            language,
            language_label(language),
            (row.translations or {}).get(language, {}).get("text", ""),
        )
        for language in languages
    ]


def editor_rows(
    version: BankVersion, items: Iterable[Item], gaps: list[TranslationGap]
) -> list[EditorRow]:
    """The items (their options read), each with its translations and the
    offered languages it has no text in yet, from ``gaps``."""
    others = [code for code in version.languages if code != version.language]
    missing: dict[int, list[str]] = {}
    for gap in gaps:
        lacking = {item.pk for item in gap.items} | {item.pk for item, _n in gap.responses}
        for pk in lacking:
            missing.setdefault(pk, []).append(language_label(gap.language))
    return [
        EditorRow(
            item=item,
            texts=_texts(item, others),
            options=[(option, _texts(option, others)) for option in item.options.all()],
            missing=missing.get(item.pk, []),
        )
        for item in items
    ]


def scenario_problems(version: BankVersion) -> list[str]:
    """A scenario needs two to four responses that differ in text and
    position and span enough of the spectrum (banks/rules.py), and no word
    of theirs may mix alphabets."""
    problems = []
    scenarios = version.items.filter(kind=Item.Kind.SCENARIO).prefetch_related("options")
    for item in scenarios.order_by("order"):
        options = [(option.text, option.position) for option in item.options.all()]
        where = _("The scenario at position %(order)s") % {"order": item.order}
        if not scoring.MIN_OPTIONS <= len(options) <= scoring.MAX_OPTIONS:
            problems.append(
                ngettext(
                    "%(where)s has %(count)s response; it needs %(low)s to %(high)s.",
                    "%(where)s has %(count)s responses; it needs %(low)s to %(high)s.",
                    len(options),
                )
                % {
                    "where": where,
                    "count": len(options),
                    "low": scoring.MIN_OPTIONS,
                    "high": scoring.MAX_OPTIONS,
                }
            )
            continue
        problem = option_problem(options, where=where)
        if problem:
            problems.append(problem)
        problems += mixed_alphabets((item.order, text) for text, _position in options)
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
                _(
                    "The item at position %(order)s mixes alphabets in “%(word)s”: letters "
                    "that look alike but differ would hide a repeated statement."
                )
                % {"order": order, "word": mixed[0]}
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
                problems.append(
                    _("The item at position %(order)s repeats the one at %(other)s.")
                    % {"order": order, "other": other_order}
                )
                break
            if other != text and len(other) >= 12 and other in text:
                problems.append(
                    _(
                        "The item at position %(order)s holds the whole of the one at "
                        "%(other)s: each statement must ask something of its own."
                    )
                    % {"order": order, "other": other_order}
                )
                break
    return problems
