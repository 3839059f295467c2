"""Cohort exports: a pseudonymised cohort's holds its dashboard's figures, an
identified cohort's a row per person; every export recorded."""

import csv
import io
import json

from django.urls import reverse
from django.utils import timezone

from assessments.models import Cohort, ExportRecord, Team
from tests.helpers import add_people, complete


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def close(cohort) -> None:
    from assessments.cohorts.services import cohort_close

    cohort_close(cohort=cohort)


def test_a_pseudonymised_export_holds_the_dashboards_figures_and_no_row_per_person(
    client, hr_admin, cohort
):
    emea = cohort.teams.get(name="EMEA sales")
    people = add_people(cohort, emea, 10)
    for person in people:
        complete(person)
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:export", args=[cohort.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="sales-managers-q1-2027-results-{timezone.now():%Y-%m-%d}.csv"'
    )
    rows = rows_of(response)
    dashboard = rows_of(client.get(reverse("dashboards:cohort_csv", args=[cohort.pk])))
    assert rows == dashboard and rows
    body = response.content.decode()
    assert not any(p.email in body or p.name in body or p.pseudonym in body for p in people)
    assert "participant" not in rows[0]
    record = ExportRecord.objects.get()
    assert (record.identified, record.row_count) == (False, len(rows))


def test_a_pseudonymised_export_withholds_what_the_dashboard_withholds(client, hr_admin, cohort):
    """HR adds k - 1 people of its own and one real person: the file gives
    the real person's score no more than the dashboard does."""
    emea = cohort.teams.get(name="EMEA sales")
    *own, real = add_people(cohort, emea, cohort.min_group_size)
    for person in own:
        complete(person, value=1)
    real_result = complete(real, value=5)
    client.force_login(hr_admin)
    data = json.loads(client.get(reverse("cohorts:export", args=[cohort.pk, "json"])).content)
    team_rows = [row for row in data["rows"] if row["group"] == emea.name and row.get("mean")]
    assert team_rows and all(
        set(row) == {"group", "measure", "n", "mean", "band", "note"} for row in team_rows
    )
    assert f"{real_result.overall:.2f}" not in json.dumps(data)
    assert all(int(row["mean"]) % 5 == 0 for row in team_rows)


def test_an_identified_export_names_people_and_is_recorded(client, hr_admin, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(identified=True)
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    complete(person)
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:export", args=[cohort.pk, "json"]))
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
    row = rows_of(client.get(reverse("cohorts:export", args=[cohort.pk, "csv"])))[0]
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["team"].startswith("'=")


def test_an_unknown_format_is_not_found(client, hr_admin, cohort):
    client.force_login(hr_admin)
    assert client.get(reverse("cohorts:export", args=[cohort.pk, "xlsx"])).status_code == 404
    assert not ExportRecord.objects.exists()
