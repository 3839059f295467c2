"""HR admins import a bank file as a draft, and export any version as JSON in
the same format; a bad file is refused with a clear message."""

import copy
import json

import pytest
from django.urls import reverse

from assessments.banks.forms import MAX_IMPORT_BYTES
from assessments.banks.selectors import bank_export
from assessments.models import BankVersion, Dimension
from tests.bank_helpers import item_data, item_rows, stored_state

# Import and export ------------------------------------------------------------------


def upload(content: bytes, name: str = "bank.json"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/json")


def post_file(client, content: bytes):
    return client.post(reverse("banks:import"), {"file": upload(content)})


def as_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_it_imports_a_good_file_as_a_draft(hr_client, bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    response = post_file(hr_client, as_bytes(data))
    imported = BankVersion.objects.get(bank=bank_version.bank, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("banks:version_detail", args=[imported.pk])
    assert imported.status == "draft"
    assert item_rows(imported) == item_rows(bank_version)


def test_it_imports_a_new_bank(hr_client, bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["bank"] = {"slug": "coaches", "name": "Coaches"}
    post_file(hr_client, as_bytes(data))
    assert BankVersion.objects.get(bank__slug="coaches").status == "draft"


def wrong_dimension_name(data: dict) -> dict:
    data["version"]["number"] = 2
    data["dimensions"][0]["name"] = "Renamed"
    data["items"].pop(0)
    return data


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda data: b"this is not json {", "The file is not valid JSON"),
        (lambda data: b'{"format": 1, "bank": "\xff\xfe\xfa"}', "The file is not UTF-8 text"),
        (lambda data: b"", "The submitted file is empty"),
        (lambda data: b"[1, 2, 3]", "not a question bank in the expected format"),
        (lambda data: as_bytes({**data, "items": 7}), "&#x27;items&#x27; must be a list"),
        (
            lambda data: as_bytes({**data, "items": [{**data["items"][0], "text": 5}]}),
            "item 1: &#x27;text&#x27; must be text",
        ),
        (lambda data: as_bytes(wrong_dimension_name(data)), "seller-keyed as leader-keyed"),
        (
            lambda data: as_bytes({**data, "version": {"number": 1}}),
            "already has a version 1",
        ),
        (
            lambda data: as_bytes({**data, "version": {"number": 2, "shuffle_items": "yes"}}),
            "version: &#x27;shuffle_items&#x27; must be true or false.",
        ),
        (lambda data: b" " * (MAX_IMPORT_BYTES + 1), "the limit is 1 MB"),
        (
            lambda data: as_bytes(
                {**data, "dimensions": [*data["dimensions"], {**data["dimensions"][0]}]}
            ),
            "keys must be present and unique",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    hr_client, bank_version, bank_data, make, message
):
    before = stored_state()
    response = post_file(hr_client, make(copy.deepcopy(bank_data)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored_state() == before


def test_an_unknown_dimension_is_refused(hr_client, bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    data["dimensions"][0]["key"] = "charisma"
    for item in data["items"]:
        if item["dimension"] == "status_quo":
            item["dimension"] = "charisma"
    before = stored_state()
    response = post_file(hr_client, as_bytes(data))
    assert "dimensions the product does not know: charisma" in response.content.decode()
    assert stored_state() == before


def test_an_import_does_not_rename_the_shared_dimensions(hr_client, bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    data["dimensions"][0]["name"] = "Renamed"
    post_file(hr_client, as_bytes(data))
    assert BankVersion.objects.filter(number=2).exists()
    assert Dimension.objects.get(key="status_quo").name == bank_data["dimensions"][0]["name"]


def test_an_import_is_refused_while_the_bank_has_a_draft(hr_client, bank_version, draft, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 3
    before = stored_state()
    response = post_file(hr_client, as_bytes(data))
    assert "already has a draft, version 2" in response.content.decode()
    assert stored_state() == before


def test_export_is_a_json_attachment_in_the_bank_format(hr_client, bank_version, bank_data):
    response = hr_client.get(reverse("banks:version_export", args=[bank_version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="default-v1.json"'
    # The default bank file was written in the same format, so export gives it back.
    assert json.loads(response.content) == bank_data
    assert bank_export(bank_version) == bank_data


def test_export_then_import_gives_the_same_items(hr_client, bank_version, draft):
    item = draft.items.get(order=5)
    hr_client.post(
        reverse("banks:item_edit", args=[item.pk]),
        item_data(
            text="Ünïcode “quotes” stay.", dimension=item.dimension_id, pole=item.pole, order=5
        ),
    )
    exported = hr_client.get(reverse("banks:version_export", args=[draft.pk])).content
    hr_client.post(reverse("banks:version_delete", args=[draft.pk]))
    expected = [row for row in item_rows(bank_version)]
    expected[4] = (*expected[4][:2], "Ünïcode “quotes” stay.", "commitment_ardent", 5)

    response = post_file(hr_client, exported)

    reimported = BankVersion.objects.get(bank=bank_version.bank, number=2)
    assert response.status_code == 302
    assert reimported.status == "draft"
    assert item_rows(reimported) == expected
