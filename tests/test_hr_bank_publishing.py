"""HR admins publish a draft once it holds enough balanced items, archive a
published version, and delete a draft."""

from django.urls import reverse

from assessments.banks.selectors import MIN_ITEMS_PER_DIMENSION
from assessments.banks.services import bank_version_approve
from assessments.models import Bank, BankVersion, Item
from tests import cast
from tests.bank_helpers import stored_state

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


def test_publishing_a_valid_draft_makes_it_the_current_version_once_approved(
    hr_client, bank_version, draft
):
    response = hr_client.post(reverse("banks:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    bank_version.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == "published" and draft.published_at is not None
    # The public assessment waits for a second HR admin (tests/test_bank_approval.py).
    assert BankVersion.objects.current() == bank_version
    bank_version_approve(version=draft, by=cast.hr_admin("otto"))
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
