"""Django's admin: every model is there, and frozen rows cannot be edited through it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.helpers import submitted_result


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.mark.parametrize(
    "model",
    [
        "dimension",
        "bank",
        "bankversion",
        "item",
        "attempt",
        "response",
        "result",
        "team",
        "cohort",
        "participant",
        "outboundemail",
        "managerinvitation",
        "exportrecord",
    ],
)
def test_every_model_has_an_admin_list(client, superuser, bank_version, model):
    submitted_result(bank_version)
    client.force_login(superuser)
    assert client.get(reverse(f"admin:assessments_{model}_changelist")).status_code == 200


def test_items_of_a_published_version_are_read_only(client, superuser, bank_version):
    client.force_login(superuser)
    item = bank_version.items.first()
    url = reverse("admin:assessments_item_change", args=[item.pk])
    response = client.post(url, {"text": "Changed", "pole": "leader", "order": 1})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text != "Changed"


def test_results_cannot_be_changed_in_the_admin(client, superuser, bank_version):
    result = submitted_result(bank_version)
    client.force_login(superuser)
    url = reverse("admin:assessments_result_change", args=[result.pk])
    assert client.post(url, {"overall": 1}).status_code == 403


def test_deleting_people_in_the_admin_keeps_hrs_progress_right(client, superuser, cohort):
    from bench.invariants import progress_mismatches
    from tests.helpers import add_people

    people = add_people(cohort, cohort.teams.first(), 3)
    client.force_login(superuser)
    client.post(
        reverse("admin:assessments_participant_delete", args=[people[0].pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:assessments_participant_changelist"),
        {"action": "delete_selected", "_selected_action": [people[1].pk], "post": "yes"},
    )
    assert list(cohort.progress.values_list("people", flat=True)) == [1]
    assert progress_mismatches() == []
