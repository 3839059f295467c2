"""Question banks' JSON form: reading a file and checking its contents, and
the rules a version's content must meet wherever it comes from.

The default bank ships as ``assessments/data/default_bank.json``; the same
format serves import and export: ``services.bank_import`` stores what
``selectors.bank_export`` writes. Loading is idempotent: a bank version that
is already stored is left as it is, because published versions never change.

Format 1 holds statements only. Format 2 adds scenarios: an item of kind
"scenario" has no pole but two to four "options", each a response's "text"
and its "position" on the spectrum (0 the seller end, 100 the leader end);
and attention checks: an item of kind "attention" has no pole but an
"expected" answer from 1 to 5, and is never scored.
Format 3 adds languages: the version's "language" (its texts' own, "en" when
left out) and "languages" (those it is offered in, its own included), and
"translations" on dimensions, items and options, as
``{"de": {"text": "..."}}`` (a dimension's fields are "name", "seller_pole",
"leader_pole" and "summary"). Formats 1 and 2 are English alone: a version
read from them offers English only, whatever keys of format 3 they hold.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.languages import language_name, site_languages
from assessments.models import Bank, Dimension, Item, ItemOption
from assessments.models.banks import is_blank

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_BANK_PATH = DATA / "default_bank.json"
# Every version of the default bank, oldest first: load_default_bank loads
# them all, so results of an older version keep their version.
DEFAULT_BANK_PATHS = (DEFAULT_BANK_PATH, DATA / "default_bank_v2.json")
FORMAT = 1
SCENARIO_FORMAT = 2
TRANSLATION_FORMAT = 3
FORMATS = (FORMAT, SCENARIO_FORMAT, TRANSLATION_FORMAT)
# The language of a file in format 1 or 2, and of one in format 3 that names none.
FILE_LANGUAGE = "en"
# A scenario's lowest and highest responses are at least this far apart, so
# that choosing between them says something about where a person stands.
MIN_OPTION_SPREAD = 50
MAX_VERSION = 100_000  # far beyond any real bank, well inside the database's integers
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")

# A dimension's translated fields, as the pages name them.
DIMENSION_FIELD_NAMES = {
    "name": gettext_lazy("name"),
    "seller_pole": gettext_lazy("seller end"),
    "leader_pole": gettext_lazy("leader end"),
    "summary": gettext_lazy("summary"),
}


class BankFormatError(ValueError):
    """The bank file is not in the expected shape; the message says where."""


def read_bank_file(path: Path = DEFAULT_BANK_PATH) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BankFormatError(f"{path}: {error}") from error
    validate_bank_data(data)
    return data


def _require(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise BankFormatError(_("%(where)s: '%(key)s' is missing.") % {"where": where, "key": key})
    return mapping[key]


def _require_text(mapping: Any, key: str, where: str, max_length: int | None) -> str:
    value = _require(mapping, key, where)
    _check_text(value, key, where, max_length)
    return value


def _check_text(value: Any, key: str, where: str, max_length: int | None) -> None:
    if not isinstance(value, str):
        raise BankFormatError(
            _("%(where)s: '%(key)s' must be text.") % {"where": where, "key": key}
        )
    if max_length is not None and len(value) > max_length:
        raise BankFormatError(
            _("%(where)s: '%(key)s' is longer than %(max)s characters.")
            % {"where": where, "key": key, "max": max_length}
        )
    _refuse_nul(value, key, where)


def _refuse_nul(value: str, key: str, where: str) -> None:
    # JSON can spell a NUL as \u0000; PostgreSQL refuses it in text.
    if "\x00" in value:
        raise BankFormatError(
            _("%(where)s: '%(key)s' contains a NUL character (\\u0000).")
            % {"where": where, "key": key}
        )


def _require_list(mapping: Any, key: str, where: str) -> list:
    value = _require(mapping, key, where)
    if not isinstance(value, list):
        raise BankFormatError(
            _("%(where)s: '%(key)s' must be a list.") % {"where": where, "key": key}
        )
    return value


def _optional_text(mapping: dict, key: str, where: str) -> None:
    if not isinstance(mapping.get(key, ""), str):
        raise BankFormatError(
            _("%(where)s: '%(key)s' must be text.") % {"where": where, "key": key}
        )
    _refuse_nul(mapping.get(key, ""), key, where)


def _field_length(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


def file_languages(data: dict[str, Any]) -> tuple[str, list[str]]:
    """A file's version's own language and the languages it is offered in:
    those it names, or, where it names none, its own and those its
    translations are in (a file need not list what it plainly carries)."""
    if data["format"] < TRANSLATION_FORMAT:
        return FILE_LANGUAGE, [FILE_LANGUAGE]
    language = data["version"].get("language", FILE_LANGUAGE)
    if "languages" in data["version"]:
        return language, list(data["version"]["languages"])
    carried = {code for entry in _translated_entries(data) for code in entry["translations"]}
    return language, [language] + [
        code for code in site_languages() if code in carried and code != language
    ]


def _translated_entries(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The file's dimensions, items and options that hold a mapping of translations."""
    entries: list[Any] = []
    for key in ("dimensions", "items"):
        found = data.get(key)
        entries += found if isinstance(found, list) else []
    for item in list(entries):
        options = item.get("options") if isinstance(item, dict) else None
        entries += options if isinstance(options, list) else []
    return [
        entry
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("translations"), dict)
    ]


def file_translations(entry: dict[str, Any], data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """A dimension's, item's or option's translations in a valid file, as
    stored: none from formats 1 and 2."""
    if data["format"] < TRANSLATION_FORMAT:
        return {}
    return {
        language: {name: text.strip() for name, text in texts.items()}
        for language, texts in entry.get("translations", {}).items()
    }


def validate_bank_data(data: Any) -> None:
    """Refuse a bank file that is not whole and well formed, with the first
    problem found in plain words."""
    _validate_header(data)
    languages = _FileLanguages.of(data)
    translated = {name: _field_length(Bank, name) for name in Bank.TRANSLATED_FIELDS}
    languages.check(data["bank"], "bank", translated)
    keys = _validate_dimensions(_require_list(data, "dimensions", _("bank file")), languages)
    _validate_items(_require_list(data, "items", _("bank file")), keys, data["format"], languages)


def _validate_header(data: Any) -> None:
    found = _require(data, "format", _("bank file"))
    if isinstance(found, bool) or found not in FORMATS:
        raise BankFormatError(
            _("bank file: format %(found)s is not one this product reads (%(formats)s).")
            % {"found": repr(found), "formats": ", ".join(map(str, FORMATS))}
        )
    bank = _require(data, "bank", _("bank file"))
    for key in ("slug", "name"):
        if is_blank(_require_text(bank, key, "bank", _field_length(Bank, key))):
            raise BankFormatError(_("bank: '%(key)s' is empty.") % {"key": key})
    if not SLUG_PATTERN.match(bank["slug"]):
        raise BankFormatError(_("bank: 'slug' may hold only letters, digits, '-' and '_'."))
    _optional_text(bank, "description", "bank")
    number = _require(_require(data, "version", _("bank file")), "number", "version")
    _optional_text(data["version"], "notes", "version")
    if not isinstance(data["version"].get("shuffle_items", False), bool):
        raise BankFormatError(_("version: 'shuffle_items' must be true or false."))
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_VERSION:
        raise BankFormatError(
            _("version: 'number' must be a whole number from 1 to %(max)s.")
            % {"max": number_format(MAX_VERSION, force_grouping=True)}
        )
    if found >= TRANSLATION_FORMAT:
        _validate_languages(data["version"])


def _validate_languages(version: dict[str, Any]) -> None:
    known = site_languages()
    spoken = ", ".join(known)
    language = version.get("language", FILE_LANGUAGE)
    if language not in known:
        raise BankFormatError(
            _("version: 'language' %(language)s is not one this product speaks (%(known)s).")
            % {"language": repr(language), "known": spoken}
        )
    if "languages" not in version:
        return  # its own and those its translations are in (file_languages)
    languages = version["languages"]
    if not isinstance(languages, list) or not languages:
        raise BankFormatError(_("version: 'languages' must be a list of language codes."))
    for code in languages:
        if code not in known:
            raise BankFormatError(
                _(
                    "version: 'languages' holds %(language)s, which this product does not speak "
                    "(%(known)s)."
                )
                % {"language": repr(code), "known": spoken}
            )
    if len(set(languages)) != len(languages):
        raise BankFormatError(_("version: 'languages' names a language twice."))
    if language not in languages:
        raise BankFormatError(
            _("version: 'languages' must include the version's own language, %(language)s.")
            % {"language": repr(language)}
        )


@dataclass(frozen=True)
class _FileLanguages:
    """What a file's translations are checked against: none are read from
    formats 1 and 2."""

    read: bool
    source: str
    offered: list[str]

    @classmethod
    def of(cls, data: dict[str, Any]) -> "_FileLanguages":
        source, offered = file_languages(data)
        return cls(read=data["format"] >= TRANSLATION_FORMAT, source=source, offered=offered)

    def check(self, entry: Any, where: str, fields: dict[str, int | None]) -> None:
        """An entry's "translations": languages the version offers besides
        its own, each with some of ``fields``, none empty or too long."""
        if not self.read or not isinstance(entry, dict) or "translations" not in entry:
            return
        translations = entry["translations"]
        if not isinstance(translations, dict):
            raise BankFormatError(
                _(
                    "%(where)s: 'translations' must map languages to their texts, "
                    'as {"de": {"text": "..."}}.'
                )
                % {"where": where}
            )
        for language, texts in translations.items():
            at = {"where": where, "language": repr(language)}
            if language not in site_languages():
                raise BankFormatError(
                    _(
                        "%(where)s: 'translations' holds %(language)s, which this product does "
                        "not speak (%(known)s)."
                    )
                    % {**at, "known": ", ".join(site_languages())}
                )
            if language == self.source:
                raise BankFormatError(
                    _(
                        "%(where)s: 'translations' holds %(language)s, the version's own "
                        "language: its text belongs in the fields themselves."
                    )
                    % at
                )
            if language not in self.offered:
                raise BankFormatError(
                    _(
                        "%(where)s: 'translations' holds %(language)s, which the version does "
                        "not offer (its 'languages' are %(offered)s)."
                    )
                    % {**at, "offered": ", ".join(self.offered)}
                )
            if not isinstance(texts, dict):
                raise BankFormatError(
                    _("%(where)s: the %(language)s translation must map fields to texts.") % at
                )
            for name, text in texts.items():
                if name not in fields:
                    raise BankFormatError(
                        _(
                            "%(where)s: the %(language)s translation has %(field)s, which is not "
                            "translated (only %(fields)s)."
                        )
                        % {**at, "field": repr(name), "fields": ", ".join(fields)}
                    )
                key = f"translations.{language}.{name}"
                _check_text(text, key, where, fields[name])
                if is_blank(text):
                    raise BankFormatError(
                        _(
                            "%(where)s: the %(language)s %(field)s is empty; leave it out until "
                            "it is written."
                        )
                        % {**at, "field": repr(name)}
                    )


def _validate_dimensions(dimensions: list, languages: _FileLanguages) -> list[str]:
    """The dimensions' keys, once every dimension is whole."""
    keys = [_require(d, "key", _where_dimension(i)) for i, d in enumerate(dimensions)]
    translated = {name: _field_length(Dimension, name) for name in Dimension.TRANSLATED_FIELDS}
    for i, dimension in enumerate(dimensions):
        where = _where_dimension(i)
        _require_text(dimension, "key", where, _field_length(Dimension, "key"))
        for name in ("name", "seller_pole", "leader_pole"):
            _require_text(dimension, name, where, _field_length(Dimension, name))
        _optional_text(dimension, "summary", where)
        languages.check(dimension, where, translated)
    if len(set(keys)) != len(keys) or not keys:
        raise BankFormatError(_("dimensions: keys must be present and unique."))
    return keys


def _where_dimension(index: int) -> str:
    return _("dimension %(number)s") % {"number": index + 1}


def _validate_items(
    items: list, keys: list[str], file_format: int, languages: _FileLanguages
) -> None:
    """Every item whole, and as many seller- as leader-keyed statements per
    dimension (scenarios are placed by their responses, not keyed)."""
    balance = {key: 0 for key in keys}
    text_length = {"text": _field_length(Item, "text")}
    for i, item in enumerate(items, start=1):
        where = _("item %(number)s") % {"number": i}
        if _require_text(item, "dimension", where, 100) not in balance:
            raise BankFormatError(
                _("%(where)s: unknown dimension %(key)s.")
                % {"where": where, "key": repr(item["dimension"])}
            )
        kind = item.get("kind", Item.Kind.STATEMENT)
        if kind not in Item.Kind.values:
            raise BankFormatError(
                _("%(where)s: kind must be one of %(kinds)s.")
                % {"where": where, "kinds": ", ".join(Item.Kind.values)}
            )
        if kind != Item.Kind.STATEMENT and file_format < SCENARIO_FORMAT:
            named = (
                _("%(where)s: a scenario needs format %(needed)s; the file says %(found)s.")
                if kind == Item.Kind.SCENARIO
                else _(
                    "%(where)s: an attention check needs format %(needed)s; the file says "
                    "%(found)s."
                )
            )
            raise BankFormatError(
                named % {"where": where, "needed": SCENARIO_FORMAT, "found": file_format}
            )
        text = _require(item, "text", where)
        if is_blank(str(text)):
            raise BankFormatError(_("%(where)s: the text is empty.") % {"where": where})
        _require_text(item, "text", where, _field_length(Item, "text"))
        languages.check(item, where, text_length)
        passage = item.get("passage", "")
        if not isinstance(passage, str) or (passage and passage not in PASSAGES):
            raise BankFormatError(
                _("%(where)s: %(passage)s is not a passage of the article.")
                % {"where": where, "passage": repr(passage)}
            )
        if kind == Item.Kind.SCENARIO:
            if "pole" in item or "expected" in item:
                raise BankFormatError(
                    _(
                        "%(where)s: a scenario has no pole or expected answer; its responses are "
                        "placed instead."
                    )
                    % {"where": where}
                )
            _validate_options(_require_list(item, "options", where), where, languages)
            continue
        if "options" in item:
            raise BankFormatError(_("%(where)s: only a scenario has options.") % {"where": where})
        if kind == Item.Kind.ATTENTION:
            expected = item.get("expected")
            if "pole" in item:
                raise BankFormatError(
                    _("%(where)s: an attention check has no pole: it is not scored.")
                    % {"where": where}
                )
            if (
                isinstance(expected, bool)
                or not isinstance(expected, int)
                or not scoring.LIKERT_MIN <= expected <= scoring.LIKERT_MAX
            ):
                raise BankFormatError(
                    _(
                        "%(where)s: an attention check needs 'expected', the answer it asks for, "
                        "from %(low)s to %(high)s."
                    )
                    % {"where": where, "low": scoring.LIKERT_MIN, "high": scoring.LIKERT_MAX}
                )
            continue
        if "expected" in item:
            raise BankFormatError(
                _("%(where)s: only an attention check has an expected answer.") % {"where": where}
            )
        pole = _require(item, "pole", where)
        if pole not in scoring.POLES:
            raise BankFormatError(
                _("%(where)s: pole must be one of %(poles)s.")
                % {"where": where, "poles": ", ".join(scoring.POLES)}
            )
        balance[item["dimension"]] += 1 if pole == scoring.LEADER else -1
    unbalanced = [key for key, difference in balance.items() if difference != 0]
    if unbalanced:
        raise BankFormatError(
            _(
                "Each dimension needs as many seller-keyed as leader-keyed statements; "
                "not so for %(keys)s."
            )
            % {"keys": ", ".join(unbalanced)}
        )


def _validate_options(options: list, where: str, languages: _FileLanguages) -> None:
    """A scenario's responses: two to four, each with text and a position."""
    if not scoring.MIN_OPTIONS <= len(options) <= scoring.MAX_OPTIONS:
        raise BankFormatError(
            _("%(where)s: a scenario needs %(low)s to %(high)s options, not %(count)s.")
            % {
                "where": where,
                "low": scoring.MIN_OPTIONS,
                "high": scoring.MAX_OPTIONS,
                "count": len(options),
            }
        )
    text_length = {"text": _field_length(ItemOption, "text")}
    for number, option in enumerate(options, start=1):
        at = _("%(where)s, option %(number)s") % {"where": where, "number": number}
        if is_blank(_require_text(option, "text", at, _field_length(ItemOption, "text"))):
            raise BankFormatError(_("%(where)s: the text is empty.") % {"where": at})
        languages.check(option, at, text_length)
        position = _require(option, "position", at)
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100:
            raise BankFormatError(
                _("%(where)s: 'position' must be a whole number from 0 to 100.") % {"where": at}
            )
    problem = option_problem(
        [(option["text"], option["position"]) for option in options], where=where
    )
    if problem:
        raise BankFormatError(problem)


def option_problem(options: list[tuple[str, int]], where: str) -> str:
    """What is wrong with a scenario's responses as a set, in plain words, or
    "": the same for a file, the editor and publishing."""
    texts = [" ".join(text.casefold().split()) for text, _position in options]
    if len(set(texts)) != len(texts):
        return _("%(where)s: two responses have the same text.") % {"where": where}
    positions = [position for _text, position in options]
    if len(set(positions)) != len(positions):
        return _("%(where)s: two responses have the same position; each needs its own place.") % {
            "where": where
        }
    if positions and max(positions) - min(positions) < MIN_OPTION_SPREAD:
        return _(
            "%(where)s: the responses span %(span)s points; they need to span at least "
            "%(needed)s, or choosing between them says little."
        ) % {
            "where": where,
            "span": max(positions) - min(positions),
            "needed": MIN_OPTION_SPREAD,
        }
    return ""


# Translations a version must have before it is published ---------------------------


@dataclass
class TranslationGap:
    """What one offered language still lacks in a version: the items with
    no text in it, each scenario's responses with none, and the fields of
    the version's dimensions with none."""

    language: str
    items: list[Item] = field(default_factory=list)
    responses: list[tuple[Item, int]] = field(default_factory=list)  # scenario, how many
    dimensions: list[tuple[Dimension, list[str]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def response_count(self) -> int:
        return sum(count for _item, count in self.responses)

    @property
    def empty(self) -> bool:
        return not (self.items or self.responses or self.dimensions)


def translation_gaps(
    *, source: str, languages: Iterable[str], items: Iterable[Item]
) -> list[TranslationGap]:
    """Per language the version offers besides its own, what has no text in
    it yet, among ``items`` (their scenarios' options read) and the
    dimensions they are in. Languages with nothing missing are left out."""
    items = list(items)
    dimensions = sorted(
        {item.dimension_id: item.dimension for item in items}.values(),
        key=lambda d: (d.order, d.pk),
    )
    gaps = []
    for language in languages:
        if language == source:
            continue
        gap = TranslationGap(language)
        for dimension in dimensions:
            missing = [name for _language, name in dimension.missing_translations([language])]
            if missing:
                gap.dimensions.append((dimension, missing))
        for item in items:
            if item.missing_translations([language]):
                gap.items.append(item)
            if item.is_scenario:
                lacking = sum(
                    bool(option.missing_translations([language])) for option in item.options.all()
                )
                if lacking:
                    gap.responses.append((item, lacking))
        if not gap.empty:
            gaps.append(gap)
    return gaps


def translation_problems(gaps: Iterable[TranslationGap]) -> list[str]:
    """Publishing refuses a version whose offered languages are incomplete;
    this says what is missing, in plain words, one line per kind of text."""
    problems = []
    for gap in gaps:
        language = gap.name
        for dimension, names in gap.dimensions:
            problems.append(
                _("No text in %(language)s for the dimension “%(name)s”: its %(fields)s.")
                % {
                    "language": language,
                    "name": dimension.local_name,
                    "fields": ", ".join(str(DIMENSION_FIELD_NAMES[name]) for name in names),
                }
            )
        if gap.items:
            positions = ", ".join(str(item.order) for item in gap.items)
            problems.append(
                ngettext(
                    "No text in %(language)s for the item at position %(positions)s.",
                    "No text in %(language)s for the %(count)s items at positions %(positions)s.",
                    len(gap.items),
                )
                % {"language": language, "positions": positions, "count": len(gap.items)}
            )
        for item, count in gap.responses:
            problems.append(
                ngettext(
                    "No text in %(language)s for %(count)s response of the scenario at "
                    "position %(order)s.",
                    "No text in %(language)s for %(count)s responses of the scenario at "
                    "position %(order)s.",
                    count,
                )
                % {"language": language, "count": count, "order": item.order}
            )
    return problems
