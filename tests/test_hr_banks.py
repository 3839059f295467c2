"""HR admins manage question banks: drafts, items, publishing, archiving, import, export."""

import copy
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.banks import urls as hr_bank_urls
from assessments.banks.forms import MAX_IMPORT_BYTES
from assessments.banks.selectors import MIN_ITEMS_PER_DIMENSION, bank_export
from assessments.banks.services import bank_import, bank_version_copy
from assessments.models import Bank, BankVersion, Dimension, Item


@pytest.fixture
def hr_client(client, hr_admin):
    client.force_login(hr_admin)
    return client


@pytest.fixture
def draft(bank_version) -> BankVersion:
    """Version 2 of the default bank: a draft copied from the published version 1."""
    return bank_version_copy(source=bank_version)


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
                "bank_id", "number", "status", "notes", "published_at"
            )
        ),
        list(Item.objects.order_by("pk").values_list("version_id", "order", "text", "pole")),
        list(Dimension.objects.order_by("pk").values_list("key", "name", "seller_pole")),
    )


# The permission matrix ------------------------------------------------------

# (url name, method, which object the url is about, form data)
ROUTES = [
    ("banks:list", "get", None, {}),
    ("banks:create", "get", None, {}),
    ("banks:import", "get", None, {}),
    ("banks:version_detail", "get", "published", {}),
    ("banks:version_detail", "get", "draft", {}),
    ("banks:version_export", "get", "published", {}),
    ("banks:version_copy", "post", "published", {}),
    ("banks:version_notes", "post", "draft", {"notes": "Shorter items."}),
    ("banks:version_publish", "get", "draft", {}),
    ("banks:version_archive", "post", "published", {}),
    ("banks:version_delete", "get", "draft", {}),
    ("banks:item_create", "get", "draft", {}),
    ("banks:item_edit", "get", "item", {}),
    ("banks:item_delete", "get", "item", {}),
    ("banks:item_move", "post", "item", {"direction": "down"}),
]


def route_url(name: str, target: str | None, published: BankVersion, draft: BankVersion) -> str:
    if target is None:
        return reverse(name)
    if target == "item":
        return reverse(name, kwargs={"item_id": draft.items.order_by("order").first().pk})
    version = published if target == "published" else draft
    return reverse(name, kwargs={"version_id": version.pk})


def test_the_matrix_covers_every_bank_url():
    assert {f"banks:{pattern.name}" for pattern in hr_bank_urls.urlpatterns} == {
        name for name, *_ in ROUTES
    }


@pytest.mark.parametrize(("name", "method", "target", "data"), ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "participant", "manager", "hr_admin"])
def test_permission_matrix(client, request, bank_version, draft, who, name, method, target, data):
    url = route_url(name, target, bank_version, draft)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = stored_state()

    response = getattr(client, method)(url, data)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif who in ("participant", "manager"):
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "get" else 302)
    if who != "hr_admin":
        assert stored_state() == before


def test_an_hr_admin_gets_404_for_a_version_or_item_that_does_not_exist(hr_client):
    assert hr_client.get(reverse("banks:version_detail", args=[999])).status_code == 404
    assert hr_client.get(reverse("banks:item_edit", args=[999])).status_code == 404


def test_actions_that_change_things_refuse_get(hr_client, bank_version, draft):
    for name in ("banks:version_copy", "banks:version_archive"):
        assert hr_client.get(reverse(name, args=[bank_version.pk])).status_code == 405


# Listing --------------------------------------------------------------------


def test_it_lists_versions_with_status_counts_and_fitting_actions(hr_client, bank_version):
    response = hr_client.get(reverse("banks:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Version 1" in html
    assert "Published" in html and "Current" in html
    assert "4 seller · 4 leader" in html
    assert "New draft from version 1" in html
    assert reverse("banks:version_export", args=[bank_version.pk]) in html


def test_the_list_hides_a_second_draft_and_links_to_the_first(hr_client, bank_version, draft):
    html = hr_client.get(reverse("banks:list")).content.decode()
    assert "New draft from version" not in html
    assert f"continue editing version {draft.number}" in html
    assert reverse("banks:version_publish", args=[draft.pk]) in html


def test_the_list_takes_the_same_number_of_queries_for_more_versions(
    hr_client, bank_version, bank_data
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert hr_client.get(reverse("banks:list")).status_code == 200
        return len(queries)

    one = count()
    for number in (2, 3):
        data = copy.deepcopy(bank_data)
        data["version"]["number"] = number
        bank_import(data=data)
    bank_version_copy(source=bank_version)
    assert count() == one


# Creating drafts --------------------------------------------------------------


def test_it_creates_a_new_bank_with_an_empty_draft(hr_client, db):
    response = hr_client.post(
        reverse("banks:create"), {"name": "Account managers", "slug": "Account-Managers"}
    )
    version = BankVersion.objects.get(bank__slug="account-managers")
    assert response.status_code == 302
    assert response["Location"] == reverse("banks:version_detail", args=[version.pk])
    assert (version.number, version.status, version.items.count()) == (1, "draft", 0)


def test_a_taken_slug_is_refused(hr_client, bank_version):
    before = stored_state()
    response = hr_client.post(reverse("banks:create"), {"name": "Again", "slug": "default"})
    assert response.status_code == 200
    assert "A bank already uses this slug" in response.content.decode()
    assert stored_state() == before


def test_it_makes_a_draft_as_a_copy_of_a_published_version(hr_client, bank_version, bank_data):
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 3
    bank_import(data=data)

    response = hr_client.post(reverse("banks:version_copy", args=[bank_version.pk]))

    draft = BankVersion.objects.get(bank=bank_version.bank, status="draft")
    assert draft.number == 4  # the highest number, plus one
    assert response["Location"] == reverse("banks:version_detail", args=[draft.pk])
    assert item_rows(draft) == item_rows(bank_version)
    assert draft.published_at is None


def test_a_second_draft_is_refused_with_a_link_to_the_first(hr_client, bank_version, draft):
    before = stored_state()
    response = hr_client.post(reverse("banks:version_copy", args=[bank_version.pk]), follow=True)
    html = response.content.decode()
    assert "already has a draft, version 2" in html
    assert f'href="{reverse("banks:version_detail", args=[draft.pk])}"' in html
    assert stored_state() == before


# Editing a draft ----------------------------------------------------------------


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


def test_it_adds_an_item_to_a_draft(hr_client, draft):
    response = hr_client.post(reverse("banks:item_create", args=[draft.pk]), item_data())
    item = draft.items.get(order=50)
    assert response.status_code == 302
    assert (item.text, item.pole, item.passage, item.dimension.key) == (
        "I ask for a firm yes.",
        "leader",
        "commitment_ardent",
        "commitment",
    )


def test_the_add_form_suggests_the_next_free_position(hr_client, draft):
    response = hr_client.get(reverse("banks:item_create", args=[draft.pk]))
    assert response.context["form"].initial["order"] == 25


def test_it_edits_an_item_of_a_draft(hr_client, draft):
    item = draft.items.get(order=1)
    response = hr_client.post(
        reverse("banks:item_edit", args=[item.pk]),
        item_data(text="Fine is not good enough.", pole="seller", passage="", order=1),
    )
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.text, item.pole, item.passage, item.order) == (
        "Fine is not good enough.",
        "seller",
        "",
        1,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"order": 2}, "Position 2 is taken"),
        ({"passage": "made_up"}, "Select a valid choice"),
        ({"text": "   "}, "This field is required"),
        ({"pole": "manager"}, "Select a valid choice"),
        ({"text": "x" * 301}, "at most 300 characters"),
    ],
)
def test_a_bad_item_is_refused_and_nothing_changes(hr_client, draft, changes, message):
    item = draft.items.get(order=1)
    before = stored_state()
    response = hr_client.post(reverse("banks:item_edit", args=[item.pk]), item_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored_state() == before


def test_it_deletes_an_item_of_a_draft(hr_client, draft):
    item = draft.items.get(order=3)
    response = hr_client.post(reverse("banks:item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not draft.items.filter(pk=item.pk).exists()
    assert draft.items.count() == 23


def test_it_moves_items_up_and_down(hr_client, draft):
    first, second = draft.items.get(order=1), draft.items.get(order=2)
    hr_client.post(reverse("banks:item_move", args=[second.pk]), {"direction": "up"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (2, 1)

    hr_client.post(reverse("banks:item_move", args=[second.pk]), {"direction": "down"})
    second.refresh_from_db()
    assert second.order == 2


def test_moving_the_last_item_down_changes_nothing(hr_client, draft):
    before = stored_state()
    last = draft.items.order_by("order").last()
    hr_client.post(reverse("banks:item_move", args=[last.pk]), {"direction": "down"})
    assert stored_state() == before


def test_it_saves_the_notes_of_a_draft(hr_client, draft):
    hr_client.post(reverse("banks:version_notes", args=[draft.pk]), {"notes": " Clearer. "})
    draft.refresh_from_db()
    assert draft.notes == "Clearer."


def test_a_draft_page_offers_editing(hr_client, draft):
    html = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).content.decode()
    assert "Add an item" in html
    assert reverse("banks:item_edit", args=[draft.items.first().pk]) in html


# A published version is never edited ---------------------------------------------


def test_a_published_version_shows_read_only_with_a_new_draft_action(hr_client, bank_version):
    html = hr_client.get(reverse("banks:version_detail", args=[bank_version.pk])).content
    html = html.decode()
    assert "Make a new draft from this version" in html
    assert "Add an item" not in html
    assert reverse("banks:item_edit", args=[bank_version.items.first().pk]) not in html
    assert reverse("banks:version_copy", args=[bank_version.pk]) in html


@pytest.mark.parametrize(
    ("name", "target", "data"),
    [
        ("banks:item_create", "version", item_data),
        ("banks:item_edit", "item", lambda: item_data(text="Changed", order=1)),
        ("banks:item_delete", "item", dict),
        ("banks:item_move", "item", lambda: {"direction": "down"}),
        ("banks:version_notes", "version", lambda: {"notes": "Changed"}),
        ("banks:version_publish", "version", dict),
        ("banks:version_delete", "version", dict),
    ],
)
def test_changes_to_a_published_version_are_refused_and_change_nothing(
    hr_client, bank_version, name, target, data
):
    item = bank_version.items.get(order=1)
    url = reverse(name, args=[item.pk if target == "item" else bank_version.pk])
    before = stored_state()

    response = hr_client.post(url, data())

    assert response.status_code == 409
    html = response.content.decode()
    assert "is published, so it cannot be changed" in html
    assert "Make a new draft from this version" in html
    assert stored_state() == before


def test_the_edit_form_of_a_published_item_is_refused(hr_client, bank_version):
    item = bank_version.items.first()
    assert hr_client.get(reverse("banks:item_edit", args=[item.pk])).status_code == 409


def test_an_archived_version_is_read_only_too(hr_client, bank_version, draft):
    hr_client.post(reverse("banks:version_publish", args=[draft.pk]))
    hr_client.post(reverse("banks:version_archive", args=[bank_version.pk]))
    item = bank_version.items.get(order=1)
    before = stored_state()
    response = hr_client.post(reverse("banks:item_delete", args=[item.pk]))
    assert response.status_code == 409
    assert "is archived, so it cannot be changed" in response.content.decode()
    assert stored_state() == before


# Publishing -----------------------------------------------------------------------


def dimension_items(version: BankVersion, key: str, pole: str):
    return version.items.filter(dimension__key=key, pole=pole).order_by("order")


def test_publishing_too_few_items_is_refused_with_a_list_and_nothing_changes(hr_client, draft):
    for pole in ("seller", "leader"):
        for item in dimension_items(draft, "status_quo", pole)[:2]:
            item.delete()
    before = stored_state()

    response = hr_client.post(reverse("banks:version_publish", args=[draft.pk]))

    assert response.status_code == 409
    html = response.content.decode()
    assert "The draft was not published" in html
    assert f"has 4 items; it needs at least {MIN_ITEMS_PER_DIMENSION}" in html
    assert stored_state() == before
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == ("draft", None)


def test_publishing_unbalanced_keying_is_refused_and_nothing_changes(hr_client, draft):
    dimension_items(draft, "disapproval", "seller").first().delete()
    Item.objects.filter(version=draft, order=1).update(text="  ")
    before = stored_state()

    response = hr_client.post(reverse("banks:version_publish", args=[draft.pk]))

    assert response.status_code == 409
    html = response.content.decode()
    assert "has 3 seller-keyed and 4 leader-keyed items; it needs as many of each" in html
    assert "The item at position 1 has no text" in html
    assert stored_state() == before


def test_the_publish_page_lists_the_problems_before_anyone_tries(hr_client, draft):
    dimension_items(draft, "commitment", "leader").first().delete()
    response = hr_client.get(reverse("banks:version_publish", args=[draft.pk]))
    html = response.content.decode()
    assert "needs as many of each" in html
    assert f"Publish version {draft.number}</button>" not in html


def test_publishing_a_valid_draft_makes_it_the_current_version(hr_client, bank_version, draft):
    response = hr_client.post(reverse("banks:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    bank_version.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == "published" and draft.published_at is not None
    assert BankVersion.objects.current() == draft
    # Cohorts choose their version, so the earlier one stays published.
    assert bank_version.status == "published"


# Archiving ------------------------------------------------------------------------


def test_it_archives_a_published_version(hr_client, bank_version, draft):
    hr_client.post(reverse("banks:version_publish", args=[draft.pk]))
    response = hr_client.post(reverse("banks:version_archive", args=[bank_version.pk]))
    bank_version.refresh_from_db()
    assert response.status_code == 302
    assert bank_version.status == "archived"
    assert list(BankVersion.objects.published()) == [draft]
    assert bank_version.items.count() == 24  # its items stay for the results that used it


def test_the_public_banks_only_published_version_is_not_archived(hr_client, bank_version):
    before = stored_state()
    response = hr_client.post(reverse("banks:version_archive", args=[bank_version.pk]), follow=True)
    assert "only published version of the bank the public assessment uses" in (
        response.content.decode()
    )
    assert stored_state() == before


def test_a_draft_is_not_archived(hr_client, draft):
    before = stored_state()
    response = hr_client.post(reverse("banks:version_archive", args=[draft.pk]), follow=True)
    assert "Only a published version can be archived" in response.content.decode()
    assert stored_state() == before


# Deleting a draft -------------------------------------------------------------------


def test_it_deletes_a_draft_and_its_items(hr_client, bank_version, draft):
    response = hr_client.post(reverse("banks:version_delete", args=[draft.pk]))
    assert response.status_code == 302
    assert list(BankVersion.objects.all()) == [bank_version]
    assert Item.objects.count() == 24


def test_deleting_the_only_version_of_a_bank_deletes_the_bank(hr_client, db):
    hr_client.post(reverse("banks:create"), {"name": "Trial", "slug": "trial"})
    version = BankVersion.objects.get(bank__slug="trial")
    hr_client.post(reverse("banks:version_delete", args=[version.pk]))
    assert not Bank.objects.filter(slug="trial").exists()


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


def test_the_services_refuse_a_published_version_before_the_database_has_to(bank_version):
    from assessments.banks import services

    item = bank_version.items.select_related("version__bank").first()
    before = stored_state()
    for change in (
        lambda: services.item_delete(item=item),
        lambda: services.item_move(item=item, up=False),
        lambda: services.bank_version_notes_update(version=bank_version, notes="Changed"),
        lambda: services.bank_version_publish(version=bank_version),
    ):
        with pytest.raises(services.VersionNotDraft, match="is published, so it cannot be changed"):
            change()
    assert stored_state() == before
