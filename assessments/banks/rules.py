"""Question banks' JSON form: reading a file and checking its contents.

The default bank ships as ``assessments/data/default_bank.json``; the same
format serves import and export: ``services.bank_import`` stores what
``selectors.bank_export`` writes. Loading is idempotent: a bank version that
is already stored is left as it is, because published versions never change.

Format 1 holds statements only. Format 2 adds scenarios: an item of kind
"scenario" has no pole but two to four "options", each a response's "text"
and its "position" on the spectrum (0 the seller end, 100 the leader end);
and attention checks: an item of kind "attention" has no pole but an
"expected" answer from 1 to 5, and is never scored.
The default bank's version 2 is in format 2.
"""

import json
import re
from pathlib import Path
from typing import Any

from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.models import Bank, Dimension, Item, ItemOption

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_BANK_PATH = DATA / "default_bank.json"
# Every version of the default bank, oldest first: load_default_bank loads
# them all, so results of an older version keep their version.
DEFAULT_BANK_PATHS = (DEFAULT_BANK_PATH, DATA / "default_bank_v2.json")
FORMAT = 1
SCENARIO_FORMAT = 2
FORMATS = (FORMAT, SCENARIO_FORMAT)
# A scenario's lowest and highest responses are at least this far apart, so
# that choosing between them says something about where a person stands.
MIN_OPTION_SPREAD = 50
MAX_VERSION = 100_000  # far beyond any real bank, well inside the database's integers
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")


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
        raise BankFormatError(f"{where}: '{key}' is missing.")
    return mapping[key]


def _require_text(mapping: Any, key: str, where: str, max_length: int) -> str:
    value = _require(mapping, key, where)
    if not isinstance(value, str):
        raise BankFormatError(f"{where}: '{key}' must be text.")
    if len(value) > max_length:
        raise BankFormatError(f"{where}: '{key}' is longer than {max_length} characters.")
    _refuse_nul(value, key, where)
    return value


def _refuse_nul(value: str, key: str, where: str) -> None:
    # JSON can spell a NUL as \u0000; PostgreSQL refuses it in text.
    if "\x00" in value:
        raise BankFormatError(f"{where}: '{key}' contains a NUL character (\\u0000).")


def _require_list(mapping: Any, key: str, where: str) -> list:
    value = _require(mapping, key, where)
    if not isinstance(value, list):
        raise BankFormatError(f"{where}: '{key}' must be a list.")
    return value


def _optional_text(mapping: dict, key: str, where: str) -> None:
    if not isinstance(mapping.get(key, ""), str):
        raise BankFormatError(f"{where}: '{key}' must be text.")
    _refuse_nul(mapping.get(key, ""), key, where)


def _field_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def validate_bank_data(data: Any) -> None:
    """Refuse a bank file that is not whole and well formed, with the first
    problem found in plain words."""
    _validate_header(data)
    keys = _validate_dimensions(_require_list(data, "dimensions", "bank file"))
    _validate_items(_require_list(data, "items", "bank file"), keys, data["format"])


def _validate_header(data: Any) -> None:
    found = _require(data, "format", "bank file")
    if isinstance(found, bool) or found not in FORMATS:
        raise BankFormatError(
            f"bank file: format {found!r} is not one this product reads "
            f"({' or '.join(map(str, FORMATS))})."
        )
    bank = _require(data, "bank", "bank file")
    for key in ("slug", "name"):
        if not _require_text(bank, key, "bank", _field_length(Bank, key)).strip():
            raise BankFormatError(f"bank: '{key}' is empty.")
    if not SLUG_PATTERN.match(bank["slug"]):
        raise BankFormatError("bank: 'slug' may hold only letters, digits, '-' and '_'.")
    _optional_text(bank, "description", "bank")
    number = _require(_require(data, "version", "bank file"), "number", "version")
    _optional_text(data["version"], "notes", "version")
    if not isinstance(data["version"].get("shuffle_items", False), bool):
        raise BankFormatError("version: 'shuffle_items' must be true or false.")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_VERSION:
        raise BankFormatError(
            f"version: 'number' must be a whole number from 1 to {MAX_VERSION:,}."
        )


def _validate_dimensions(dimensions: list) -> list[str]:
    """The dimensions' keys, once every dimension is whole."""
    keys = [_require(d, "key", f"dimension {i + 1}") for i, d in enumerate(dimensions)]
    for i, dimension in enumerate(dimensions):
        _require_text(dimension, "key", f"dimension {i + 1}", _field_length(Dimension, "key"))
        for field in ("name", "seller_pole", "leader_pole"):
            _require_text(dimension, field, f"dimension {i + 1}", _field_length(Dimension, field))
        _optional_text(dimension, "summary", f"dimension {i + 1}")
    if len(set(keys)) != len(keys) or not keys:
        raise BankFormatError("dimensions: keys must be present and unique.")
    return keys


def _validate_items(items: list, keys: list[str], file_format: int = FORMAT) -> None:
    """Every item whole, and as many seller- as leader-keyed statements per
    dimension (scenarios are placed by their responses, not keyed)."""
    balance = {key: 0 for key in keys}
    for i, item in enumerate(items, start=1):
        where = f"item {i}"
        if _require_text(item, "dimension", where, 100) not in balance:
            raise BankFormatError(f"{where}: unknown dimension {item['dimension']!r}.")
        kind = item.get("kind", Item.Kind.STATEMENT)
        if kind not in Item.Kind.values:
            raise BankFormatError(f"{where}: kind must be one of {', '.join(Item.Kind.values)}.")
        if kind != Item.Kind.STATEMENT and file_format < SCENARIO_FORMAT:
            named = "a scenario" if kind == Item.Kind.SCENARIO else "an attention check"
            raise BankFormatError(
                f"{where}: {named} needs format {SCENARIO_FORMAT}; the file says {file_format}."
            )
        text = _require(item, "text", where)
        if not str(text).strip():
            raise BankFormatError(f"{where}: the text is empty.")
        _require_text(item, "text", where, _field_length(Item, "text"))
        passage = item.get("passage", "")
        if not isinstance(passage, str) or (passage and passage not in PASSAGES):
            raise BankFormatError(f"{where}: {passage!r} is not a passage of the article.")
        if kind == Item.Kind.SCENARIO:
            if "pole" in item or "expected" in item:
                raise BankFormatError(
                    f"{where}: a scenario has no pole or expected answer; its responses are "
                    "placed instead."
                )
            _validate_options(_require_list(item, "options", where), where)
            continue
        if "options" in item:
            raise BankFormatError(f"{where}: only a scenario has options.")
        if kind == Item.Kind.ATTENTION:
            expected = item.get("expected")
            if "pole" in item:
                raise BankFormatError(f"{where}: an attention check has no pole: it is not scored.")
            if (
                isinstance(expected, bool)
                or not isinstance(expected, int)
                or not scoring.LIKERT_MIN <= expected <= scoring.LIKERT_MAX
            ):
                raise BankFormatError(
                    f"{where}: an attention check needs 'expected', the answer it asks for, "
                    f"from {scoring.LIKERT_MIN} to {scoring.LIKERT_MAX}."
                )
            continue
        if "expected" in item:
            raise BankFormatError(f"{where}: only an attention check has an expected answer.")
        pole = _require(item, "pole", where)
        if pole not in scoring.POLES:
            raise BankFormatError(f"{where}: pole must be one of {', '.join(scoring.POLES)}.")
        balance[item["dimension"]] += 1 if pole == scoring.LEADER else -1
    unbalanced = [key for key, difference in balance.items() if difference != 0]
    if unbalanced:
        raise BankFormatError(
            "Each dimension needs as many seller-keyed as leader-keyed statements; "
            f"not so for {', '.join(unbalanced)}."
        )


def _validate_options(options: list, where: str) -> None:
    """A scenario's responses: two to four, each with text and a position."""
    if not scoring.MIN_OPTIONS <= len(options) <= scoring.MAX_OPTIONS:
        raise BankFormatError(
            f"{where}: a scenario needs {scoring.MIN_OPTIONS} to {scoring.MAX_OPTIONS} "
            f"options, not {len(options)}."
        )
    for number, option in enumerate(options, start=1):
        at = f"{where}, option {number}"
        if not _require_text(option, "text", at, _field_length(ItemOption, "text")).strip():
            raise BankFormatError(f"{at}: the text is empty.")
        position = _require(option, "position", at)
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100:
            raise BankFormatError(f"{at}: 'position' must be a whole number from 0 to 100.")
    problem = option_problem(
        [(option["text"], option["position"]) for option in options], where=where
    )
    if problem:
        raise BankFormatError(problem)


def option_problem(options: list[tuple[str, int]], where: str) -> str:
    """What is wrong with a scenario's responses as a set, in plain words, or
    "": the same for a file, the editor and publishing."""
    texts = [" ".join(text.casefold().split()) for text, _ in options]
    if len(set(texts)) != len(texts):
        return f"{where}: two responses have the same text."
    positions = [position for _, position in options]
    if len(set(positions)) != len(positions):
        return f"{where}: two responses have the same position; each needs its own place."
    if positions and max(positions) - min(positions) < MIN_OPTION_SPREAD:
        return (
            f"{where}: the responses span {max(positions) - min(positions)} points; they need "
            f"to span at least {MIN_OPTION_SPREAD}, or choosing between them says little."
        )
    return ""
