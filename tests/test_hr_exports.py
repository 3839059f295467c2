"""Cohort exports: pseudonymised by default, small teams merged, every export recorded."""

import csv
import io
import json

from django.urls import reverse

from assessments.cohort_exports import OTHER_TEAMS
from assessments.models import Cohort, ExportRecord, Team
from tests.helpers import add_people, complete


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_pseudonymised_export_names_nobody(client, hr_admin, cohort):
    emea = cohort.teams.get(name="EMEA sales")
    people = add_people(cohort, emea, 5)
    for person in people:
        complete(person)
    client.force_login(hr_admin)
    response = client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of(response)
    assert len(rows) == 5
    assert set(rows[0]) == {
        "participant",
        "team",
        "overall",
        "band",
        "status_quo",
        "commitment",
        "disapproval",
        "completed_on",
        "bank_version",
        "scoring_version",
    }
    assert {row["participant"] for row in rows} == {p.pseudonym for p in people}
    body = response.content.decode()
    assert not any(p.email in body or p.name in body for p in people)
    assert {row["team"] for row in rows} == {"EMEA sales"}
    assert rows[0]["overall"] == "50.0" and rows[0]["scoring_version"] == "1"


def test_teams_below_the_minimum_are_merged_in_rows(client, hr_admin, cohort):
    emea = cohort.teams.get(name="EMEA sales")
    us = cohort.teams.get(name="US sales")
    small = Team.objects.create(name="Tiny")
    cohort.teams.add(small)
    for person in add_people(cohort, emea, 6, "e") + add_people(cohort, us, 5, "u"):
        complete(person)
    complete(add_people(cohort, small, 1, "t")[0])
    client.force_login(hr_admin)
    rows = rows_of(client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"])))
    teams = {row["team"] for row in rows}
    # Tiny alone would be recognisable as "other": the next-smallest team joins it.
    assert "Tiny" not in teams and "US sales" not in teams
    assert teams == {"EMEA sales", OTHER_TEAMS}
    assert sum(row["team"] == OTHER_TEAMS for row in rows) == 6


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


def test_only_completed_attempts_are_exported(client, hr_admin, cohort):
    from assessments.services.cohorts import participant_attempt

    done, started = add_people(cohort, cohort.teams.first(), 2)
    complete(done)
    participant_attempt(participant=started)
    client.force_login(hr_admin)
    rows = rows_of(client.get(reverse("hr_cohort_export", args=[cohort.pk, "csv"])))
    assert [row["participant"] for row in rows] == [done.pseudonym]


def test_an_unknown_format_is_not_found(client, hr_admin, cohort):
    client.force_login(hr_admin)
    assert client.get(reverse("hr_cohort_export", args=[cohort.pk, "xlsx"])).status_code == 404
    assert not ExportRecord.objects.exists()
