"""Cohort exports: pseudonymised by default and released once after closing; every
export recorded."""

import csv
import io
import json

from django.urls import reverse

from assessments.models import Cohort, ExportRecord, Team
from tests.helpers import add_people, complete


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def close(cohort) -> None:
    from assessments.services.cohorts import cohort_close

    cohort_close(cohort=cohort)


def test_a_pseudonymised_export_names_nobody(client, hr_admin, cohort):
    emea = cohort.teams.get(name="EMEA sales")
    people = add_people(cohort, emea, 5)
    for person in people:
        complete(person)
    close(cohort)
    client.force_login(hr_admin)
    response = client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of(response)
    assert len(rows) == 5
    # No team and no date: either could be matched against who HR saw complete.
    assert set(rows[0]) == {
        "participant",
        "overall",
        "band",
        "status_quo",
        "commitment",
        "disapproval",
        "bank_version",
        "scoring_version",
    }
    assert {row["participant"] for row in rows} == {p.pseudonym for p in people}
    body = response.content.decode()
    assert not any(p.email in body or p.name in body or emea.name in body for p in people)
    assert rows[0]["overall"] == "50.0" and rows[0]["scoring_version"] == "1"


def test_pseudonymised_rows_wait_until_the_cohort_closes(client, hr_admin, cohort):
    for person in add_people(cohort, cohort.teams.first(), 5):
        complete(person)
    client.force_login(hr_admin)
    response = client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"]))
    assert response.status_code == 409
    assert "released once it has closed" in response.text
    assert not ExportRecord.objects.exists()


def test_pseudonymised_rows_are_released_once(client, hr_admin, cohort):
    """Two downloads around someone deleting their data would give that
    person's row away: the second is refused."""
    for person in add_people(cohort, cohort.teams.first(), 5):
        complete(person)
    close(cohort)
    client.force_login(hr_admin)
    assert client.get(reverse("hr_cohort_export", args=[cohort.pk, "json"])).status_code == 200
    for fmt in ("json", "csv"):
        again = client.get(reverse("hr_cohort_export", args=[cohort.pk, fmt]))
        assert again.status_code == 409
        assert "released only once" in again.text and "hannah" in again.text
    assert ExportRecord.objects.count() == 1
    page = client.get(reverse("hr_cohort_detail", args=[cohort.pk])).text
    assert "Released on" in page and "Download results (CSV)" not in page


def test_pseudonymised_rows_come_in_random_order(client, hr_admin, cohort):
    from assessments.cohort_exports import export_rows

    for person in add_people(cohort, cohort.teams.first(), 12):
        complete(person)
    orders = {tuple(row["participant"] for row in export_rows(cohort)[1]) for _ in range(6)}
    assert len(orders) > 1


def test_an_identified_export_names_people_and_is_recorded(client, hr_admin, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(identified=True)
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    complete(person)
    client.force_login(hr_admin)
    response = client.get(reverse("hr_cohort_export", args=[cohort.pk, "json"]))
    data = json.loads(response.content)
    assert data["identified"] is True
    assert data["rows"][0]["name"] == person.name
    assert data["rows"][0]["email"] == person.email
    record = ExportRecord.objects.get()
    assert (record.user, record.identified, record.format, record.row_count) == (
        hr_admin,
        True,
        "json",
        1,
    )


def test_formula_cells_are_defused_in_csv(client, hr_admin, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(identified=True)
    team = Team.objects.create(name='=HYPERLINK("http://evil")')
    cohort.teams.add(team)
    person = add_people(cohort, team, 1, "x")[0]
    person.name = "=cmd|' /C calc'!A0"
    person.email = "plain@example.com"
    person.save()
    complete(person)
    client.force_login(hr_admin)
    row = rows_of(client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"])))[0]
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["team"].startswith("'=")


def test_only_results_in_published_figures_are_exported(client, hr_admin, cohort):
    """All rows minus the published teams' rows would single out the newest
    few of a team: those rows are not released."""
    from assessments.services.cohorts import participant_attempt

    team = cohort.teams.first()
    *done, newest, started = add_people(cohort, team, 7)
    for person in done:
        complete(person)
    complete(newest)  # the sixth: not yet in any published figure
    participant_attempt(participant=started)
    close(cohort)
    client.force_login(hr_admin)
    rows = rows_of(client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"])))
    assert sorted(row["participant"] for row in rows) == sorted(p.pseudonym for p in done)


def test_an_unknown_format_is_not_found(client, hr_admin, cohort):
    client.force_login(hr_admin)
    assert client.get(reverse("hr_cohort_export", args=[cohort.pk, "xlsx"])).status_code == 404
    assert not ExportRecord.objects.exists()
