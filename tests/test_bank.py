"""Question banks: loading the default bank, and published versions staying frozen."""

import copy

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from assessments.banks.rules import DEFAULT_BANK_PATHS, BankFormatError
from assessments.banks.services import bank_import
from assessments.models import Bank, BankVersion, Dimension, Item


def test_the_default_bank_loads_published_with_balanced_dimensions(bank_version):
    assert bank_version.status == BankVersion.Status.PUBLISHED
    assert BankVersion.objects.current() == bank_version
    assert list(Dimension.objects.values_list("key", flat=True)) == [
        "status_quo",
        "commitment",
        "disapproval",
    ]
    for dimension in Dimension.objects.all():
        items = bank_version.items.filter(dimension=dimension)
        assert items.count() >= 6
        assert items.filter(pole="leader").count() == items.filter(pole="seller").count()


def test_loading_the_default_bank_again_changes_nothing(db, capsys):
    call_command("load_default_bank")
    items = sorted(Item.objects.values_list("pk", "text"))
    call_command("load_default_bank")
    assert Bank.objects.count() == 1
    assert list(BankVersion.objects.order_by("number").values_list("number", "shipped")) == [
        (1, True),
        (2, True),
    ]
    assert sorted(Item.objects.values_list("pk", "text")) == items
    assert capsys.readouterr().out.count("Already loaded") == len(DEFAULT_BANK_PATHS)


def test_a_new_version_number_adds_a_version_and_becomes_current(bank_version, bank_data):
    """As a later default bank comes with the product; one an organisation
    wrote becomes current only once approved (tests/test_bank_approval.py)."""
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    version, created = bank_import(data=data, shipped=True)
    assert created
    assert BankVersion.objects.current() == version
    assert bank_version.items.count() == version.items.count()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("items"), "'items' is missing"),
        (lambda d: d["items"][0].update(pole="manager"), "item 1: pole must be"),
        (lambda d: d["items"][1].update(dimension="charisma"), "item 2: unknown dimension"),
        (lambda d: d["items"][2].update(text="  "), "item 3: the text is empty"),
        (lambda d: d["items"].pop(0), "as many seller-keyed as leader-keyed"),
        (lambda d: d.update(format=4), "format 4 is not one this product reads"),
        (lambda d: d.update(format=True), "format True is not one this product reads"),
        (lambda d: d["version"].update(number=0), "'number' must be a whole number"),
    ],
)
def test_a_malformed_bank_is_refused_with_a_clear_message_and_stores_nothing(
    db, bank_data, change, message
):
    data = copy.deepcopy(bank_data)
    change(data)
    with pytest.raises(BankFormatError, match=message):
        bank_import(data=data)
    assert not BankVersion.objects.exists()
    assert not Item.objects.exists()


def frozen(action) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


def test_the_database_refuses_to_change_items_of_a_published_version(bank_version):
    item = bank_version.items.first()
    frozen(lambda: Item.objects.filter(pk=item.pk).update(text="Something else"))
    frozen(lambda: item.delete())
    frozen(
        lambda: Item.objects.create(
            version=bank_version, dimension=item.dimension, pole="leader", text="New", order=99
        )
    )
    item.refresh_from_db()
    assert item.text != "Something else"
    assert bank_version.items.count() == 24


def test_an_item_cannot_be_moved_into_a_published_version(bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    draft, _ = bank_import(data=data, publish=False)
    item = draft.items.first()
    assert item is not None
    frozen(lambda: Item.objects.filter(pk=item.pk).update(version=bank_version))


def test_a_published_version_cannot_return_to_draft(bank_version):
    frozen(
        lambda: BankVersion.objects.filter(pk=bank_version.pk).update(
            status=BankVersion.Status.DRAFT
        )
    )


def test_a_draft_version_can_be_edited_then_published(db, bank_data):
    draft, _ = bank_import(data=bank_data, publish=False)
    item = draft.items.first()
    assert item is not None
    item.text = "A clearer statement."
    item.save()
    draft.status = BankVersion.Status.PUBLISHED
    draft.save()
    assert Item.objects.get(pk=item.pk).text == "A clearer statement."
    frozen(lambda: Item.objects.filter(pk=item.pk).update(text="Changed again"))
