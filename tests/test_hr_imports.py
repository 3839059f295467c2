"""CSV upload through the HR pages: a preview first, nothing stored until confirmed."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Participant, ParticipantImport, Team


def upload(client, cohort, content: bytes, name: str = "people.csv"):
    return client.post(
        reverse("cohorts:import", args=[cohort.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


GOOD = (
    b"name,email,team\n"
    b"Ada Lovelace,ada@example.com,EMEA sales\n"
    b"Grace Hopper,grace@example.com,Platform\n"
    b"Bad Email,not-an-email,EMEA sales\n"
    b"Ada Twice,ADA@example.com,EMEA sales\n"
    b"No Team,noteam@example.com,\n"
)


def test_a_preview_lists_what_would_be_imported_and_rejected(client, hr_admin, cohort):
    client.force_login(hr_admin)
    response = upload(client, cohort, GOOD)
    pending = ParticipantImport.objects.get()
    assert response.url == reverse("cohorts:import_preview", args=[cohort.pk, pending.pk])
    page = client.get(response.url).text
    assert "<strong>2</strong> people can be imported" in page
    assert "<strong>3</strong> lines rejected" in page
    assert "&#x27;not-an-email&#x27; is not an email address" in page
    assert "The same email appears on an earlier line" in page
    assert "The team is empty" in page
    assert "New teams that will be created: Platform." in page
    assert not Participant.objects.exists()
    assert not Team.objects.filter(name="Platform").exists()


def test_confirming_imports_every_valid_row_and_the_new_teams(client, hr_admin, cohort):
    client.force_login(hr_admin)
    upload(client, cohort, GOOD)
    pending = ParticipantImport.objects.get()
    response = client.post(reverse("cohorts:import_confirm", args=[cohort.pk, pending.pk]))
    assert response.url == reverse("cohorts:detail", args=[cohort.pk])
    assert sorted(cohort.participants.values_list("email", flat=True)) == [
        "ada@example.com",
        "grace@example.com",
    ]
    assert cohort.teams.filter(name="Platform").exists()
    # A second confirm adds nobody twice.
    client.post(reverse("cohorts:import_confirm", args=[cohort.pk, pending.pk]))
    assert cohort.participants.count() == 2


def test_cancelling_stores_nobody(client, hr_admin, cohort):
    client.force_login(hr_admin)
    upload(client, cohort, GOOD)
    pending = ParticipantImport.objects.get()
    client.post(reverse("cohorts:import_cancel", args=[cohort.pk, pending.pk]))
    client.post(reverse("cohorts:import_confirm", args=[cohort.pk, pending.pk]))
    assert not Participant.objects.exists()


def test_a_confirm_refuses_rows_added_meanwhile_and_imports_nothing(client, hr_admin, cohort):
    client.force_login(hr_admin)
    upload(client, cohort, GOOD)
    pending = ParticipantImport.objects.get()
    from assessments.cohorts.participants import participant_add

    participant_add(cohort=cohort, name="Ada", email="ada@example.com", team=cohort.teams.first())
    response = client.post(
        reverse("cohorts:import_confirm", args=[cohort.pk, pending.pk]), follow=True
    )
    assert "added to the cohort after this file was checked" in response.text
    assert cohort.participants.count() == 1


def test_wrong_columns_reject_the_file_with_a_clear_message(client, hr_admin, cohort):
    client.force_login(hr_admin)
    response = upload(client, cohort, b"full name,mail,team\nAda,ada@example.com,EMEA\n")
    assert response.status_code == 200
    assert "unknown column" in response.text
    assert "Nothing was imported." in response.text
    assert not ParticipantImport.objects.exists()


def test_non_utf8_bytes_reject_the_file(client, hr_admin, cohort):
    client.force_login(hr_admin)
    response = upload(client, cohort, "name,email,team\nJosé,j@example.com,EMEA\n".encode("cp1252"))
    assert "not UTF-8" in response.text
    assert not ParticipantImport.objects.exists()


def test_a_10_mb_file_is_refused(client, hr_admin, cohort):
    client.force_login(hr_admin)
    big = b"name,email,team\n" + b"Ada,ada@example.com,EMEA\n" * (10 * 1024 * 1024 // 24)
    response = upload(client, cohort, big)
    assert "the limit is 2 MB" in response.text
    assert not ParticipantImport.objects.exists()
    assert not Participant.objects.exists()


def test_another_cohorts_import_is_not_found(client, hr_admin, cohort, bank_version):
    from assessments.cohorts.services import cohort_create

    other = cohort_create(name="Other", bank_version=bank_version, teams=[], created_by=hr_admin)
    client.force_login(hr_admin)
    upload(client, cohort, GOOD)
    pending = ParticipantImport.objects.get()
    url = reverse("cohorts:import_preview", args=[other.pk, pending.pk])
    assert client.get(url).status_code == 404
