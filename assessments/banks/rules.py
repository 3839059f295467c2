"""Question banks' JSON form: reading a file and checking its contents.

The default bank ships as ``assessments/data/default_bank.json``; the same
format serves import and export: ``services.bank_import`` stores what
``selectors.bank_export`` writes. Loading is idempotent: a bank version that
is already stored is left as it is, because published versions never change.
"""

import json
import re
from pathlib import Path
from typing import Any

from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.models import Bank, Dimension, Item

DEFAULT_BANK_PATH = Path(__file__).resolve().parent.parent / "data" / "default_bank.json"
FORMAT = 1
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
    _validate_items(_require_list(data, "items", "bank file"), keys)


def _validate_header(data: Any) -> None:
    if _require(data, "format", "bank file") != FORMAT:
        raise BankFormatError(f"bank file: format {data['format']!r} is not {FORMAT}.")
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


def _validate_items(items: list, keys: list[str]) -> None:
    """Every item whole, and as many seller- as leader-keyed per dimension."""
    balance = {key: 0 for key in keys}
    for i, item in enumerate(items, start=1):
        where = f"item {i}"
        if _require_text(item, "dimension", where, 100) not in balance:
            raise BankFormatError(f"{where}: unknown dimension {item['dimension']!r}.")
        pole = _require(item, "pole", where)
        if pole not in scoring.POLES:
            raise BankFormatError(f"{where}: pole must be one of {', '.join(scoring.POLES)}.")
        text = _require(item, "text", where)
        if not str(text).strip():
            raise BankFormatError(f"{where}: the text is empty.")
        _require_text(item, "text", where, _field_length(Item, "text"))
        passage = item.get("passage", "")
        if not isinstance(passage, str) or (passage and passage not in PASSAGES):
            raise BankFormatError(f"{where}: {passage!r} is not a passage of the article.")
        balance[item["dimension"]] += 1 if pole == scoring.LEADER else -1
    unbalanced = [key for key, difference in balance.items() if difference != 0]
    if unbalanced:
        raise BankFormatError(
            "Each dimension needs as many seller-keyed as leader-keyed items; "
            f"not so for {', '.join(unbalanced)}."
        )
