"""Migration 0025 gives the German of the default bank to sites that loaded
its versions before bank versions had languages, and to nothing else."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.banks.rules import DEFAULT_BANK_PATHS
from tests.browser.conftest import _sqlite_flush_past_frozen_items  # noqa: F401, autouse

BEFORE = [("assessments", "0024_languages_and_preferences")]
AFTER = [("assessments", "0025_default_bank_german")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def load_as_before(apps, path, *, number, shipped=True, change_first=False):
    """A version as load_default_bank stored it before languages: English only."""
    data = json.loads(path.read_text(encoding="utf-8"))
    Bank = apps.get_model("assessments", "Bank")
    Dimension = apps.get_model("assessments", "Dimension")
    BankVersion = apps.get_model("assessments", "BankVersion")
    Item = apps.get_model("assessments", "Item")
    ItemOption = apps.get_model("assessments", "ItemOption")
    bank, _ = Bank.objects.get_or_create(slug=data["bank"]["slug"], name=data["bank"]["name"])
    dimensions = {}
    for order, entry in enumerate(data["dimensions"]):
        dimensions[entry["key"]], _ = Dimension.objects.get_or_create(
            key=entry["key"],
            defaults={
                "name": entry["name"],
                "seller_pole": entry["seller_pole"],
                "leader_pole": entry["leader_pole"],
                "order": order,
            },
        )
    version = BankVersion.objects.create(
        bank=bank, number=number, status="draft", shipped=shipped, languages=["en"], language="en"
    )
    for order, entry in enumerate(data["items"], start=1):
        text = entry["text"] + (" (edited)" if change_first and order == 1 else "")
        item = Item.objects.create(
            version=version,
            dimension=dimensions[entry["dimension"]],
            kind=entry.get("kind", "statement"),
            pole=entry.get("pole", ""),
            text=text,
            order=order,
        )
        for option_order, option in enumerate(entry.get("options", []), start=1):
            ItemOption.objects.create(
                item=item, order=option_order, text=option["text"], position=option["position"]
            )
    BankVersion.objects.filter(pk=version.pk).update(status="published")
    return version.pk


@pytest.mark.django_db(transaction=True)
def test_it_gives_the_shipped_versions_their_german_and_leaves_the_others():
    old = migrate(BEFORE)
    try:
        v1 = load_as_before(old, DEFAULT_BANK_PATHS[0], number=1)
        v2 = load_as_before(old, DEFAULT_BANK_PATHS[1], number=2)
        # Version 1's text with one item edited, and version 2's text written
        # by the organisation itself: neither is the text the German is of.
        edited = load_as_before(old, DEFAULT_BANK_PATHS[0], number=3, change_first=True)
        own = load_as_before(old, DEFAULT_BANK_PATHS[1], number=4, shipped=False)
        new = migrate(AFTER)
        BankVersion = new.get_model("assessments", "BankVersion")
        Item = new.get_model("assessments", "Item")
        ItemOption = new.get_model("assessments", "ItemOption")
        shipped_v2 = json.loads(DEFAULT_BANK_PATHS[1].read_text(encoding="utf-8"))
        for pk in (v1, v2):
            version = BankVersion.objects.get(pk=pk)
            assert version.languages == ["en", "de"]
            items = Item.objects.filter(version_id=pk)
            assert all(item.translations["de"]["text"] for item in items)
        first = Item.objects.get(version_id=v2, order=1)
        assert first.translations == shipped_v2["items"][0]["translations"]
        options = ItemOption.objects.filter(item__version_id=v2)
        assert options.count() == 28
        assert all(option.translations["de"]["text"] for option in options)
        for pk in (edited, own):
            assert BankVersion.objects.get(pk=pk).languages == ["en"]
            assert not Item.objects.filter(version_id=pk).exclude(translations={}).exists()
    finally:
        migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
