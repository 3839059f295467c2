"""Loading question banks from their JSON form, and writing them back out.

The default bank ships as ``assessments/data/default_bank.json``; the same
format serves import and export (``bank_export`` writes what ``bank_import``
reads). Loading is idempotent: a bank version that is already stored is left
as it is, because published versions never change.
"""

import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.content import scoring
from assessments.content.guidance import PASSAGES
from assessments.models import Bank, BankVersion, Dimension, Item

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
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_VERSION:
        raise BankFormatError(
            f"version: 'number' must be a whole number from 1 to {MAX_VERSION:,}."
        )

    dimensions = _require_list(data, "dimensions", "bank file")
    keys = [_require(d, "key", f"dimension {i + 1}") for i, d in enumerate(dimensions)]
    for i, dimension in enumerate(dimensions):
        _require_text(dimension, "key", f"dimension {i + 1}", _field_length(Dimension, "key"))
        for field in ("name", "seller_pole", "leader_pole"):
            _require_text(dimension, field, f"dimension {i + 1}", _field_length(Dimension, field))
        _optional_text(dimension, "summary", f"dimension {i + 1}")
    if len(set(keys)) != len(keys) or not keys:
        raise BankFormatError("dimensions: keys must be present and unique.")

    items = _require_list(data, "items", "bank file")
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


@transaction.atomic
def bank_import(
    *, data: dict[str, Any], publish: bool = True, update_dimensions: bool = True
) -> tuple[BankVersion, bool]:
    """Store a bank version from its JSON form; returns (version, created).

    With ``update_dimensions=False`` dimensions already stored keep their
    names and poles: they are shared by every version, published ones too, so
    an uploaded file must not rename them.
    """
    validate_bank_data(data)
    bank, _ = Bank.objects.get_or_create(
        slug=data["bank"]["slug"],
        defaults={"name": data["bank"]["name"], "description": data["bank"].get("description", "")},
    )
    number = data["version"]["number"]
    existing = BankVersion.objects.filter(bank=bank, number=number).first()
    if existing is not None:
        return existing, False

    dimensions = {}
    store_dimension = (
        Dimension.objects.update_or_create if update_dimensions else Dimension.objects.get_or_create
    )
    for order, entry in enumerate(data["dimensions"], start=1):
        dimensions[entry["key"]], _ = store_dimension(
            key=entry["key"],
            defaults={
                "name": entry["name"],
                "seller_pole": entry["seller_pole"],
                "leader_pole": entry["leader_pole"],
                "summary": entry.get("summary", ""),
                "order": order,
            },
        )
    version = BankVersion.objects.create(
        bank=bank, number=number, notes=data["version"].get("notes", "")
    )
    Item.objects.bulk_create(
        Item(
            version=version,
            dimension=dimensions[entry["dimension"]],
            pole=entry["pole"],
            text=entry["text"].strip(),
            passage=entry.get("passage", ""),
            order=order,
        )
        for order, entry in enumerate(data["items"], start=1)
    )
    if publish:
        version.status = BankVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version, True


def bank_export(version: BankVersion) -> dict[str, Any]:
    """A bank version in the JSON form ``bank_import`` reads back.

    Every dimension is written, so a version with no items yet still names
    them; items are written in their order, which import numbers 1, 2, 3...
    """
    bank = version.bank
    return {
        "format": FORMAT,
        "bank": {"slug": bank.slug, "name": bank.name, "description": bank.description},
        "version": {"number": version.number, "notes": version.notes},
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
        "items": [
            {"dimension": key, "pole": pole, "text": text, "passage": passage}
            for key, pole, text, passage in version.items.order_by("order").values_list(
                "dimension__key", "pole", "text", "passage"
            )
        ],
    }
