"""Loading question banks from their JSON form.

The default bank ships as ``assessments/data/default_bank.json``; the same
format serves import and export. Loading is idempotent: a bank version that
is already stored is left as it is, because published versions never change.
"""

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import scoring
from .models import Bank, BankVersion, Dimension, Item

DEFAULT_BANK_PATH = Path(__file__).resolve().parent / "data" / "default_bank.json"
FORMAT = 1


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


def validate_bank_data(data: Any) -> None:
    if _require(data, "format", "bank file") != FORMAT:
        raise BankFormatError(f"bank file: format {data['format']!r} is not {FORMAT}.")
    bank = _require(data, "bank", "bank file")
    for key in ("slug", "name"):
        if not str(_require(bank, key, "bank")).strip():
            raise BankFormatError(f"bank: '{key}' is empty.")
    number = _require(_require(data, "version", "bank file"), "number", "version")
    if not isinstance(number, int) or number < 1:
        raise BankFormatError("version: 'number' must be a whole number from 1.")

    dimensions = _require(data, "dimensions", "bank file")
    keys = [_require(d, "key", f"dimension {i + 1}") for i, d in enumerate(dimensions)]
    for i, dimension in enumerate(dimensions):
        for field in ("name", "seller_pole", "leader_pole"):
            _require(dimension, field, f"dimension {i + 1}")
    if len(set(keys)) != len(keys) or not keys:
        raise BankFormatError("dimensions: keys must be present and unique.")

    items = _require(data, "items", "bank file")
    balance = {key: 0 for key in keys}
    for i, item in enumerate(items, start=1):
        where = f"item {i}"
        if _require(item, "dimension", where) not in balance:
            raise BankFormatError(f"{where}: unknown dimension {item['dimension']!r}.")
        pole = _require(item, "pole", where)
        if pole not in scoring.POLES:
            raise BankFormatError(f"{where}: pole must be one of {', '.join(scoring.POLES)}.")
        if not str(_require(item, "text", where)).strip():
            raise BankFormatError(f"{where}: the text is empty.")
        balance[item["dimension"]] += 1 if pole == scoring.LEADER else -1
    unbalanced = [key for key, difference in balance.items() if difference != 0]
    if unbalanced:
        raise BankFormatError(
            "Each dimension needs as many seller-keyed as leader-keyed items; "
            f"not so for {', '.join(unbalanced)}."
        )


@transaction.atomic
def bank_import(*, data: dict[str, Any], publish: bool = True) -> tuple[BankVersion, bool]:
    """Store a bank version from its JSON form; returns (version, created)."""
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
    for order, entry in enumerate(data["dimensions"], start=1):
        dimensions[entry["key"]], _ = Dimension.objects.update_or_create(
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
