"""The language of a participant's emails: set by HR in the CSV import and
on the add-a-person form, shown on the list of people; empty is the
organisation's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.cohorts import participants as participant_services
from assessments.cohorts.csv_import import parse
from assessments.models import Participant, ParticipantImport
from tests import cast
from tests.helpers import add_people, counts


def read(text: str):
    return parse(text, existing_emails=set(), existing_teams={})


def upload(client, cohort, content: bytes):
    return client.post(
        reverse("cohorts:import", args=[cohort.pk]),
        {"file": SimpleUploadedFile("people.csv", content, content_type="text/csv")},
    )


def preview_of(client, cohort) -> str:
    pending = ParticipantImport.objects.get()
    return client.get(reverse("cohorts:import_preview", args=[cohort.pk, pending.pk])).text


def confirm(client, cohort) -> None:
    pending = ParticipantImport.objects.get()
    client.post(reverse("cohorts:import_confirm", args=[cohort.pk, pending.pk]))


# --- The CSV import ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "language"),
    [
        ("en", "en"),
        ("DE", "de"),
        ("English", "en"),
        ("deutsch", "de"),
        ("GERMAN", "de"),
        ("de-DE", "de"),
        ("  de  ", "de"),
        ("", ""),
    ],
)
def test_it_reads_a_language_by_code_or_name_whatever_the_case(cell, language):
    parsed = read(f"name,email,team,language\nAda,ada@example.com,EMEA,{cell}\n")
    assert not parsed.rejected
    assert parsed.rows[0].language == language


def test_it_reads_a_file_without_the_language_column_as_the_organisations():
    parsed = read("name,email,team\nAda,ada@example.com,EMEA\n")
    assert parsed.rows[0].language == ""


def test_it_reads_the_language_column_in_any_place_and_case():
    parsed = read("Language,Team,Email,Name\nde,EMEA,ada@example.com,Ada\n")
    assert (parsed.rows[0].name, parsed.rows[0].language) == ("Ada", "de")


@pytest.mark.parametrize("cell", ["fr", "Französisch", "e n", "'de"])
def test_it_rejects_a_row_in_a_language_the_site_does_not_speak(cell):
    parsed = read(
        f"name,email,team,language\nAda,ada@example.com,EMEA,{cell}\nBo,bo@example.com,EMEA,de\n"
    )
    assert [row.name for row in parsed.rows] == ["Bo"]
    (rejected,) = parsed.rejected
    assert rejected.line == 2
    assert rejected.reason == (
        f"“{cell}” is not a language this site speaks: write en or de, "
        "or leave it empty for the organisation's"
    )


def test_it_stores_each_imported_persons_language(hr_client, cohort):
    upload(
        hr_client,
        cohort,
        b"name,email,team,language\n"
        b"Ada,ada@example.com,EMEA sales,Deutsch\n"
        b"Bo,bo@example.com,EMEA sales,en\n"
        b"Cy,cy@example.com,US sales,\n",
    )
    confirm(hr_client, cohort)
    assert dict(cohort.participants.values_list("email", "language")) == {
        "ada@example.com": "de",
        "bo@example.com": "en",
        "cy@example.com": "",
    }


def test_it_rejects_an_unknown_language_in_the_preview_and_stores_nobody_with_it(hr_client, cohort):
    upload(
        hr_client,
        cohort,
        b"name,email,team,language\n"
        b"Ada,ada@example.com,EMEA sales,Klingon\n"
        b"Bo,bo@example.com,EMEA sales,de\n",
    )
    before = counts()
    page = preview_of(hr_client, cohort)
    assert "<strong>1</strong> line rejected" in page
    assert "“Klingon” is not a language this site speaks" in page
    assert counts() == before  # the preview stores nothing
    confirm(hr_client, cohort)
    assert list(cohort.participants.values_list("email", "language")) == [("bo@example.com", "de")]


def test_it_shows_the_language_column_in_the_preview_only_when_the_file_gives_one(
    hr_client, cohort
):
    upload(hr_client, cohort, b"name,email,team\nAda,ada@example.com,EMEA sales\n")
    assert '<th scope="col" class="d-none d-md-table-cell">Language</th>' not in preview_of(
        hr_client, cohort
    )
    ParticipantImport.objects.all().delete()
    upload(
        hr_client,
        cohort,
        b"name,email,team,language\n"
        b"Ada,ada@example.com,EMEA sales,de\n"
        b"Bo,bo@example.com,EMEA sales,\n",
    )
    page = preview_of(hr_client, cohort)
    assert '<th scope="col" class="d-none d-md-table-cell">Language</th>' in page
    assert "German" in page and "The organisation's" in page


def test_it_confirms_an_import_previewed_before_imports_had_a_language(hr_client, cohort, hr_admin):
    """A preview kept from before the column has rows of four cells."""
    pending = cast.pending_import(cohort, hr_admin)
    hr_client.post(reverse("cohorts:import_confirm", args=[cohort.pk, pending.pk]))
    person = cohort.participants.get()
    assert (person.email, person.language) == ("pat@example.com", "")


def test_it_explains_the_language_column_on_the_upload_page(hr_client, cohort):
    page = hr_client.get(reverse("cohorts:import", args=[cohort.pk])).text
    assert "A column <code>language</code> may say" in page


# --- One person at a time -----------------------------------------------------------


def add(client, cohort, **data):
    team = cohort.teams.order_by("name").first()
    form = {"name": "Ada", "email": "ada@example.com", "team": team.pk, **data}
    return client.post(reverse("cohorts:participant_add", args=[cohort.pk]), form)


def test_it_offers_the_organisations_language_first_on_the_add_a_person_form(hr_client, cohort):
    page = hr_client.get(reverse("cohorts:participant_add", args=[cohort.pk])).text
    assert '<option value="" selected>The organisation&#x27;s</option>' in page
    assert '<option value="de">German</option>' in page


@pytest.mark.parametrize("language", ["de", "en", ""])
def test_it_stores_the_language_chosen_for_a_person(hr_client, cohort, language):
    response = add(hr_client, cohort, language=language)
    assert response.status_code == 302
    assert cohort.participants.get().language == language


def test_it_takes_a_person_without_a_language_as_the_organisations(hr_client, cohort):
    add(hr_client, cohort)
    assert cohort.participants.get().language == ""


def test_it_refuses_a_language_not_on_the_list(hr_client, cohort):
    response = add(hr_client, cohort, language="fr")
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Participant.objects.exists()


def test_it_passes_the_language_of_someone_joining_by_the_open_link(cohort):
    cohort.join_enabled = True
    cohort.save(update_fields=["join_enabled"])
    person = participant_services.participant_join(
        cohort=cohort,
        name="Jo",
        email="jo@example.com",
        team=cohort.teams.first(),
        language="de",
    )
    assert person.language == "de"


# --- The list of people ---------------------------------------------------------------


def test_it_shows_each_persons_language_on_the_list_of_people(hr_client, cohort):
    emea = cohort.teams.order_by("name").first()
    german, default = add_people(cohort, emea, 2)
    Participant.objects.filter(pk=german.pk).update(language="de")
    page = hr_client.get(reverse("cohorts:participants", args=[cohort.pk])).text
    assert '<th scope="col" class="d-none d-lg-table-cell">Language</th>' in page
    assert page.count('<td class="d-none d-lg-table-cell">German</td>') == 1
    # Below lg, where the column is hidden, only a language set by HR is mentioned.
    assert page.count("Emails in German") == 2  # under the name, and under the team
    assert "The organisation's" in page
