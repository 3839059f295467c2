"""What the bank tests share: a version's items as rows, everything a bank
action could change, and the form data of an item."""

from assessments.models import Bank, BankVersion, Dimension, Item


def item_rows(version: BankVersion) -> list[tuple]:
    return list(
        version.items.order_by("order").values_list(
            "dimension__key", "pole", "text", "passage", "order"
        )
    )


def stored_state() -> tuple:
    """Everything a bank action could change, to show that a refused one changed nothing."""
    return (
        list(Bank.objects.order_by("pk").values_list("slug", "name", "description")),
        list(
            BankVersion.objects.order_by("pk").values_list(
                "bank_id", "number", "status", "notes", "shuffle_items", "published_at"
            )
        ),
        list(Item.objects.order_by("pk").values_list("version_id", "order", "text", "pole")),
        list(Dimension.objects.order_by("pk").values_list("key", "name", "seller_pole")),
    )


def item_data(**changes) -> dict:
    dimension = Dimension.objects.get(key="commitment")
    data = {
        "text": "  I ask for   a firm yes.  ",
        "dimension": dimension.pk,
        "pole": "leader",
        "passage": "commitment_ardent",
        "order": 50,
    }
    return {**data, **changes}
