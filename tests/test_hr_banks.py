"""HR admins manage question banks: the list, new banks and drafts, editing a
draft's items; a published version is never edited.

Who may reach each bank URL, and exactly what they get, is pinned by the
leak probe (tests/test_leak_probe.py). Publishing, archiving and deleting
are in test_hr_bank_publishing.py; import and export in test_hr_bank_files.py.
"""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.banks.services import bank_import, bank_version_copy
from assessments.models import BankVersion
from tests.bank_helpers import item_data, item_rows, stored_state


def test_an_hr_admin_gets_404_for_a_version_or_item_that_does_not_exist(hr_client):
    assert hr_client.get(reverse("banks:version_detail", args=[999])).status_code == 404
    assert hr_client.get(reverse("banks:item_edit", args=[999])).status_code == 404


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
        ({"text": "   "}, "Write the statement."),
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


def test_the_editor_hides_the_moves_an_item_cannot_make(hr_client, draft):
    """Hidden, not disabled: a disabled outline button looked almost enabled.
    Each action is there twice, in the wide table and under the statement on
    a phone; the table keeps an invisible placeholder so its buttons line up."""
    html = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).content.decode()
    last = draft.items.count()
    assert html.count("move the item at position 2 up") == 2
    assert html.count("move the item at position 1 up") == 1
    assert html.count(f"move the item at position {last} down") == 1
    assert html.count('class="invisible"') == 2
    assert "disabled>Up" not in html and "disabled>Down" not in html


def test_moving_the_last_item_down_changes_nothing(hr_client, draft):
    before = stored_state()
    last = draft.items.order_by("order").last()
    hr_client.post(reverse("banks:item_move", args=[last.pk]), {"direction": "down"})
    assert stored_state() == before


def test_it_saves_the_notes_of_a_draft(hr_client, draft):
    hr_client.post(reverse("banks:version_notes", args=[draft.pk]), {"notes": " Clearer. "})
    draft.refresh_from_db()
    assert draft.notes == "Clearer."


def test_notes_sent_as_the_draft_is_published_are_refused_not_an_error(
    hr_client, draft, monkeypatch
):
    """Published between the page's check and the save: a 409 that says why."""
    from assessments.banks import services
    from assessments.banks.services import VersionNotDraft

    def published_meanwhile(version):
        raise VersionNotDraft(version)

    monkeypatch.setattr(services, "_lock_draft", published_meanwhile)
    before = stored_state()
    response = hr_client.post(
        reverse("banks:version_notes", args=[draft.pk]), {"notes": "Late.", "shuffle_items": "on"}
    )
    assert response.status_code == 409
    assert stored_state() == before


def test_a_draft_page_offers_editing(hr_client, draft):
    html = hr_client.get(reverse("banks:version_detail", args=[draft.pk])).content.decode()
    assert "Add a statement" in html
    assert reverse("banks:item_edit", args=[draft.items.first().pk]) in html


# A published version is never edited ---------------------------------------------


def test_a_published_version_shows_read_only_with_a_new_draft_action(hr_client, bank_version):
    response = hr_client.get(reverse("banks:version_detail", args=[bank_version.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Make a new draft from this version" in html
    assert "Add a statement" not in html
    assert reverse("banks:item_edit", args=[bank_version.items.first().pk]) not in html
    assert reverse("banks:version_copy", args=[bank_version.pk]) in html


@pytest.mark.parametrize(
    ("name", "target", "data"),
    [
        ("banks:item_create", "version", item_data),
        ("banks:scenario_create", "version", item_data),
        ("banks:attention_create", "version", item_data),
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


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("banks:item_create", "version"),
        ("banks:scenario_create", "version"),
        ("banks:attention_create", "version"),
        ("banks:item_edit", "item"),
        ("banks:item_delete", "item"),
        ("banks:version_publish", "version"),
        ("banks:version_delete", "version"),
    ],
)
def test_the_forms_that_would_change_a_published_version_are_refused(
    hr_client, bank_version, name, target
):
    item = bank_version.items.first()
    url = reverse(name, args=[item.pk if target == "item" else bank_version.pk])
    response = hr_client.get(url)
    assert response.status_code == 409
    assert "is published, so it cannot be changed" in response.content.decode()


def test_an_archived_version_is_read_only_too(hr_client, bank_version, draft):
    hr_client.post(reverse("banks:version_publish", args=[draft.pk]))
    hr_client.post(reverse("banks:version_archive", args=[bank_version.pk]))
    item = bank_version.items.get(order=1)
    before = stored_state()
    response = hr_client.post(reverse("banks:item_delete", args=[item.pk]))
    assert response.status_code == 409
    assert "is archived, so it cannot be changed" in response.content.decode()
    assert stored_state() == before


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
