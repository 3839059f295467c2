"""HR's list of a cohort's people: found by name or email, status and team, a
page at a time, and kept as it was through an action on one person."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from assessments.accounts.services import participant_data_delete
from assessments.cohorts import outbox
from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from tests import cast
from tests.helpers import add_people, complete


def people_list(client, cohort, **query):
    return client.get(reverse("cohorts:participants", args=[cohort.pk]), query)


def names(response) -> list[str]:
    return [person.name for person in response.context["people"]]


@pytest.fixture
def crowd(cohort, hr_admin):
    """Three people in EMEA and two in US at every stage, by name."""
    emea, us = cohort.teams.order_by("name")
    added, invited, started = add_people(cohort, emea, 3, "emea")
    done, gone = add_people(cohort, us, 2, "us")
    outbox.emails_queue(
        cohort=cohort, kind="invitation", queued_by=hr_admin, link_for=lambda p: "http://x/"
    )
    cohort.emails.exclude(participant=invited).delete()
    outbox.emails_send_batch(cohort=cohort)
    participant_services.participant_attempt(participant=started)
    complete(done)
    participant_data_delete(participant=gone)
    return {"added": added, "invited": invited, "started": started, "done": done, "gone": gone}


def test_hr_finds_people_by_part_of_a_name_or_an_email(hr_client, hr_admin, cohort, crowd):
    assert names(people_list(hr_client, cohort, q="EMEA 1")) == ["emea 1"]
    assert names(people_list(hr_client, cohort, q="us0@example")) == ["us 0"]
    # Nobody of another cohort, though they share the name.
    other = cast.open_cohort(
        bank_version=cohort.bank_version,
        created_by=hr_admin,
        teams=cohort.teams.all(),
        name="Other",
    )
    add_people(other, cohort.teams.first(), 1, "emea")
    assert names(people_list(hr_client, cohort, q="emea 0")) == ["emea 0"]
    response = people_list(hr_client, cohort, q="nobody like this")
    assert "matches these filters" in response.text


def test_a_search_for_like_wildcards_matches_them_as_written(hr_client, cohort, crowd):
    assert names(people_list(hr_client, cohort, q="%")) == []
    assert names(people_list(hr_client, cohort, q="_")) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("added", ["emea 0"]),
        ("invited", ["emea 1"]),
        ("started", ["emea 2"]),
        ("completed", ["us 0"]),
        ("withdrawn", [None]),  # their name is gone: the one person who deleted their data
    ],
)
def test_hr_lists_the_people_at_one_stage(hr_client, cohort, crowd, status, expected):
    found = names(people_list(hr_client, cohort, status=status))
    if expected == [None]:
        assert len(found) == 1 and found[0] != crowd["gone"].name
        assert people_list(hr_client, cohort, status=status).context["people"][0].stage == status
    else:
        assert found == expected


def test_hr_lists_one_teams_people_and_combines_the_filters(hr_client, cohort, crowd):
    emea, us = cohort.teams.order_by("name")
    assert names(people_list(hr_client, cohort, team=emea.pk)) == ["emea 0", "emea 1", "emea 2"]
    assert names(people_list(hr_client, cohort, team=emea.pk, status="completed")) == []
    assert names(people_list(hr_client, cohort, team=us.pk, status="completed")) == ["us 0"]
    assert names(people_list(hr_client, cohort, team=emea.pk, q="1", status="invited")) == [
        "emea 1"
    ]


def test_the_people_waiting_for_their_team_to_be_confirmed(hr_client, cohort, crowd):
    cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    joan = participant_services.participant_join(
        cohort=cohort, name="Joan", email="joan@example.com", team=cohort.teams.first()
    )
    response = people_list(hr_client, cohort, status="unconfirmed")
    assert names(response) == ["Joan"]
    assert 'Confirm team<span class="visually-hidden"> of Joan</span>' in response.text
    url = reverse("cohorts:participant_team_confirm", args=[cohort.pk, joan.pk])
    confirmed = hr_client.post(f"{url}?status=unconfirmed&q=jo", follow=True)
    # Back on the list as it was, now without her.
    assert confirmed.redirect_chain[-1][0] == (
        reverse("cohorts:participants", args=[cohort.pk]) + "?q=jo&status=unconfirmed"
    )
    assert "Joan now counts towards" in confirmed.text
    assert names(confirmed) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "promoted"}, "Choose a status from the list; this one was left out."),
        ({"team": "99999999999999999999999"}, "Choose one of this cohort&#x27;s teams"),
        ({"q": "x" * 201}, "Search for at most 200 characters."),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
    ],
)
def test_a_bad_filter_is_named_and_the_others_still_apply(hr_client, cohort, crowd, query, message):
    response = people_list(hr_client, cohort, **query, q2="ignored")
    assert response.status_code == 200
    assert message in response.text
    assert len(names(response)) == 5  # the bad filter is left out, not guessed at
    narrowed = people_list(hr_client, cohort, **{**query, "q": query.get("q", "emea 1")})
    if "q" not in query:
        assert names(narrowed) == ["emea 1"]


def test_a_team_of_another_cohort_is_not_a_choice(hr_client, cohort, crowd):
    elsewhere = cast.teams("Elsewhere")[0]
    response = people_list(hr_client, cohort, team=elsewhere.pk)
    assert "Choose one of this cohort&#x27;s teams" in response.text
    assert f'<option value="{elsewhere.pk}"' not in response.text


def test_pages_of_found_people_keep_the_search(hr_client, cohort):
    emea, us = cohort.teams.order_by("name")
    add_people(cohort, emea, 60, "emea")
    add_people(cohort, us, 60, "us")
    first = people_list(hr_client, cohort, q="emea")
    assert "60 people found, page 1 of 2" in first.text
    next_link = first.text.split('class="page-link" href="')[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(next_link).query) == {
        "q": ["emea"],
        "page": ["2"],
    }
    second = hr_client.get(reverse("cohorts:participants", args=[cohort.pk]) + next_link)
    assert len(names(second)) == 10
    assert all(name.startswith("emea") for name in names(second))


def test_a_removal_returns_to_the_list_as_it_was(hr_client, cohort, crowd):
    added = crowd["added"]
    url = reverse("cohorts:participant_remove", args=[cohort.pk, added.pk])
    listed = people_list(hr_client, cohort, status="added", page="1")
    assert f"{url}?status=added&amp;page=1" in listed.text
    asked = hr_client.get(f"{url}?status=added&page=1&next=https://evil.example/")
    assert "?status=added&amp;page=1" in asked.text and "evil" not in asked.text
    removed = hr_client.post(f"{url}?status=added&page=1&next=https://evil.example/")
    assert removed["Location"] == (
        reverse("cohorts:participants", args=[cohort.pk]) + "?status=added&page=1"
    )


def test_the_cohort_page_counts_people_and_links_to_the_list(hr_client, cohort, crowd):
    page = hr_client.get(reverse("cohorts:detail", args=[cohort.pk])).text
    assert "4 people in the cohort" in page  # not the one who deleted their data
    assert f'href="{reverse("cohorts:participants", args=[cohort.pk])}"' in page
    assert "participants-table" not in page


def test_an_invitation_sent_from_the_list_leads_back_to_it(hr_client, cohort, crowd):
    added = crowd["added"]
    url = reverse("cohorts:participant_invite", args=[cohort.pk, added.pk])
    response = hr_client.post(f"{url}?status=added&q=emea&next=//evil.example/")
    outbox_url = reverse("cohorts:outbox", args=[cohort.pk])
    assert response["Location"] == f"{outbox_url}?q=emea&status=added"
    outbox_page = hr_client.get(response["Location"]).text
    people_url = reverse("cohorts:participants", args=[cohort.pk])
    assert f'href="{people_url}?q=emea&amp;status=added"' in outbox_page
    assert "evil" not in outbox_page


def test_an_action_with_a_query_string_django_refuses_changes_nothing(
    hr_client, cohort, crowd, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    added = crowd["added"]
    query = "&".join(f"x{i}=1" for i in range(20))
    url = reverse("cohorts:participant_remove", args=[cohort.pk, added.pk])
    assert hr_client.post(f"{url}?{query}").status_code == 400
    assert cohort.participants.filter(pk=added.pk).exists()


def test_a_team_of_the_cohort_with_nobody_in_it_is_a_choice(hr_client, cohort):
    emea, us = cohort.teams.order_by("name")
    add_people(cohort, emea, 1)
    response = people_list(hr_client, cohort, team=us.pk)
    assert "Choose one of" not in response.text
    assert names(response) == []
