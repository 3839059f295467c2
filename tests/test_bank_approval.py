"""A question bank the organisation wrote is used in a cohort that is not
identified only once a second HR admin has read and approved it
(docs/confidentiality.md, rule 10): whoever writes the statements can write
them to single people out, which no rounding of the figures undoes."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.banks import selectors, services
from assessments.cohorts import services as cohort_services
from assessments.cohorts.services import CohortError
from assessments.models import Attempt, BankVersion, Cohort
from tests import cast
from tests.test_hr_cohorts import cohort_post


@pytest.fixture
def written(draft, hr_client, hr_admin) -> BankVersion:
    """Version 2 of the default bank, published by ``hr_admin`` through the page."""
    response = hr_client.post(reverse("banks:version_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.PUBLISHED and draft.published_by == hr_admin
    return draft


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_version_that_came_with_the_product_needs_no_approval(bank_version, hr_admin):
    assert bank_version.shipped and bank_version.confidential_use
    cohort_services.cohort_create(
        name="Q1", bank_version=bank_version, teams=cast.teams("A"), created_by=hr_admin
    )
    with pytest.raises(services.BankError, match="may already be used"):
        services.bank_version_approve(version=bank_version, by=cast.hr_admin("otto"))


def test_a_written_version_is_refused_for_a_pseudonymised_cohort_until_approved(hr_client, written):
    assert not written.confidential_use
    form = hr_client.get(reverse("cohorts:create")).text
    assert "v2 (Published): identified cohorts only, until a second HR admin approves it" in form
    response = hr_client.post(reverse("cohorts:create"), cohort_post(written))
    assert response.status_code == 200 and not Cohort.objects.exists()
    assert "no second HR admin has approved it for pseudonymised cohorts yet" in response.text
    # An identified cohort may use it: HR sees its scores by name anyway.
    response = hr_client.post(reverse("cohorts:create"), cohort_post(written, identified="on"))
    assert response.status_code == 302 and Cohort.objects.get().identified


def test_the_service_refuses_it_too(written, hr_admin):
    with pytest.raises(CohortError, match="no second HR admin has approved it"):
        cohort_services.cohort_create(
            name="Q1", bank_version=written, teams=cast.teams("A"), created_by=hr_admin
        )


def test_the_publisher_cannot_approve_it_and_another_hr_admin_can(hr_client, written):
    page = hr_client.get(reverse("banks:version_detail", args=[written.pk])).text
    assert "You published this version, so another HR admin must approve it." in page
    response = hr_client.post(reverse("banks:version_approve", args=[written.pk]), follow=True)
    assert "another HR admin must read and approve it" in response.text
    written.refresh_from_db()
    assert written.approved_at is None

    other = signed_in(cast.hr_admin("otto"))
    page = other.get(reverse("banks:version_detail", args=[written.pk])).text
    assert "I have read it: approve version 2" in page
    response = other.post(reverse("banks:version_approve", args=[written.pk]), follow=True)
    assert "may now be used in pseudonymised cohorts" in response.text
    written.refresh_from_db()
    assert written.confidential_use and written.approved_by.username == "otto"
    response = hr_client.post(reverse("cohorts:create"), cohort_post(written))
    assert response.status_code == 302 and not Cohort.objects.get().identified


def test_managers_and_participants_cannot_approve(written, manager, participant):
    for user in (manager, participant):
        response = signed_in(user).post(reverse("banks:version_approve", args=[written.pk]))
        assert response.status_code == 403
    written.refresh_from_db()
    assert written.approved_at is None


def test_a_draft_cannot_be_approved(draft):
    with pytest.raises(services.BankError, match="Only a published version"):
        services.bank_version_approve(version=draft, by=cast.hr_admin("otto"))


def test_a_cohort_moved_to_an_unapproved_version_is_refused(cohort, written):
    with pytest.raises(CohortError, match="no second HR admin has approved it"):
        cohort_services.cohort_update(cohort=cohort, teams=cohort.teams.all(), bank_version=written)


def test_statements_that_repeat_or_hold_another_are_refused_at_publishing(draft):
    items = list(draft.items.order_by("order"))
    first = items[0]
    items[3].text = f"  {first.text.upper()}!  "
    items[5].text = f"It is not true of me that: {first.text}"
    for item in (items[3], items[5]):
        item.save(update_fields=["text"])
    problems = selectors.publish_problems(draft)
    assert f"The item at position {items[3].order} repeats the one at {first.order}." in problems
    assert any(
        p.startswith(f"The item at position {items[5].order} holds the whole of the one at")
        for p in problems
    )
    with pytest.raises(services.PublishRefused):
        services.bank_version_publish(version=draft)
    assert selectors.repeated_statements([(1, "I like it."), (2, "I like it a lot.")]) == []


def test_look_alike_letters_from_another_alphabet_are_refused(draft):
    """The eighth review hid repeats behind a Cyrillic "о" in Latin words."""
    items = list(draft.items.order_by("order"))
    items[4].text = items[0].text.replace("o", "\u043e", 1)
    items[4].save(update_fields=["text"])
    problems = selectors.publish_problems(draft)
    assert any(f"The item at position {items[4].order} mixes alphabets" in p for p in problems)
    assert selectors.mixed_alphabets([(1, "Я думаю, что это так."), (2, "Café au lait.")]) == []


def test_the_public_assessment_keeps_to_an_approved_version(client, written, bank_version):
    """A newer version one HR admin published is not what the public
    assessment serves until a second HR admin approves it."""
    assert BankVersion.objects.current() == bank_version
    client.post(reverse("taking:attempt_start"))
    assert Attempt.objects.get().bank_version == bank_version
    assert selectors.is_current(bank_version) and not selectors.is_current(written)
    services.bank_version_approve(version=written, by=cast.hr_admin("otto"))
    assert BankVersion.objects.current() == written and selectors.is_current(written)


def test_the_migration_marks_the_default_banks_first_version_as_shipped(db, bank_data):
    import copy
    import importlib

    from django.apps import apps

    from assessments.banks.services import bank_import

    mark = importlib.import_module("assessments.migrations.0018_bank_version_review").mark_shipped
    first, _ = bank_import(data=bank_data)  # as stored before the field existed
    later = copy.deepcopy(bank_data)
    later["version"]["number"] = 2
    second, _ = bank_import(data=later)
    mark(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.shipped and not second.shipped
