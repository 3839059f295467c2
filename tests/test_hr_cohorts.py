"""HR admins run cohorts: settings, membership, closing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessments.cohorts import participants as participant_services
from assessments.cohorts import services as cohort_services
from assessments.models import Cohort, Participant, Team
from tests import cast
from tests.helpers import add_people, complete


def cohort_post(bank_version, /, **changes) -> dict:
    data = {
        "name": "Sales managers, Q1 2027",
        "description": "",
        "bank_version": bank_version.pk,
        "opens_at": "",
        "closes_at": "",
        "min_group_size": "5",
        "new_teams": "EMEA sales\nUS sales",
    }
    return {**data, **changes}


def test_it_creates_a_draft_cohort_with_new_teams(client, hr_admin, bank_version):
    client.force_login(hr_admin)
    response = client.post(reverse("cohorts:create"), cohort_post(bank_version))
    cohort = Cohort.objects.get()
    assert response.url == reverse("cohorts:detail", args=[cohort.pk])
    assert cohort.status == Cohort.Status.DRAFT
    assert sorted(cohort.teams.values_list("name", flat=True)) == ["EMEA sales", "US sales"]
    assert cohort.created_by == hr_admin
    assert not cohort.identified


def test_existing_teams_are_reused_whatever_their_case(client, hr_admin, bank_version):
    Team.objects.create(name="EMEA Sales")
    client.force_login(hr_admin)
    client.post(reverse("cohorts:create"), cohort_post(bank_version, new_teams="emea sales"))
    assert Team.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_group_size": "2"}, "at least 3"),
        ({"name": ""}, "This field is required"),
        (
            {"opens_at": "2027-01-10T09:00", "closes_at": "2027-01-01T09:00"},
            "must close after it opens",
        ),
        ({"new_teams": ""}, "Choose at least one team"),
        ({"bank_version": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_settings_get_a_clear_message_and_store_nothing(
    client, hr_admin, bank_version, changes, message
):
    client.force_login(hr_admin)
    response = client.post(reverse("cohorts:create"), cohort_post(bank_version, **changes))
    assert response.status_code == 200
    assert message in response.text
    assert not Cohort.objects.exists()
    assert not Team.objects.exists()


def test_a_cohort_never_becomes_identified_later(cohort):
    with pytest.raises(cohort_services.CohortError, match="cannot become identified"):
        cohort_services.cohort_update(cohort=cohort, teams=cohort.teams.all(), identified=True)
    cohort.refresh_from_db()
    assert not cohort.identified


def test_the_edit_form_does_not_offer_identification_for_a_pseudonymised_cohort(
    client, hr_admin, cohort
):
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:edit", args=[cohort.pk]))
    assert "Identified cohort" not in response.text
    data = cohort_post(cohort.bank_version, identified="on", new_teams="EMEA sales")
    client.post(reverse("cohorts:edit", args=[cohort.pk]), data)
    cohort.refresh_from_db()
    assert not cohort.identified


def test_the_edit_form_is_headed_edit_cohort_with_the_name_below(client, hr_admin, cohort):
    client.force_login(hr_admin)
    html = client.get(reverse("cohorts:edit", args=[cohort.pk])).text
    assert '<h1 class="mb-1">Edit cohort</h1>' in html
    assert f'<p class="lead">{cohort.name}</p>' in html


def test_the_list_says_when_a_cohort_has_no_dates(client, hr_admin, cohort):
    cohort.opens_at = cohort.closes_at = None
    cohort.save(update_fields=["opens_at", "closes_at"])
    client.force_login(hr_admin)
    html = client.get(reverse("cohorts:list")).text
    assert "No dates set" in html and "— to —" not in html


def test_the_bank_version_is_fixed_once_someone_started(cohort, bank_data):
    import copy

    from assessments.banks.services import bank_import

    person = add_people(cohort, cohort.teams.first(), 1)[0]
    participant_services.participant_attempt(participant=person)
    data = copy.deepcopy(bank_data)
    data["version"]["number"] = 2
    newer, _ = bank_import(data=data)
    with pytest.raises(cohort_services.CohortError, match="can no longer change"):
        cohort_services.cohort_update(cohort=cohort, teams=cohort.teams.all(), bank_version=newer)


def test_closing_stops_links_and_freezes_membership_and_answers(client, cohort):
    team = cohort.teams.first()
    finished, halfway, invited = add_people(cohort, team, 3)
    result = complete(finished)
    attempt = participant_services.participant_attempt(participant=halfway)
    cohort_services.cohort_close(cohort=cohort)

    response = client.get(reverse("links:invitation", args=[invited.token]))
    assert response.status_code == 410
    assert "closed" in response.text
    with pytest.raises(cohort_services.CohortError, match="closed"):
        participant_services.participant_add(cohort=cohort, name="Late", email="l@e.com", team=team)
    from assessments.taking.services import AttemptError, responses_save

    with pytest.raises(AttemptError, match="not taking answers"):
        responses_save(attempt=attempt, answers={cohort.bank_version.items.first().pk: 3})
    # A finished participant's link still leads to their own result.
    response = client.get(reverse("links:invitation", args=[finished.token]))
    assert response.status_code == 302
    assert response.url == reverse("taking:result_detail", args=[result.token])


def test_links_do_not_work_before_the_window_opens(client, cohort):
    cohort.opens_at = timezone.now() + timedelta(days=1)
    cohort.save()
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    response = client.get(reverse("links:invitation", args=[person.token]))
    assert response.status_code == 410
    assert "It opens on" in response.text


def test_an_invitation_link_starts_an_attempt_that_belongs_to_the_cohort(client, cohort):
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    page = client.get(reverse("links:invitation", args=[person.token]))
    assert "Who sees what" in page.text
    assert "but not your scores: HR, like managers, sees only totals" in page.text
    response = client.post(reverse("links:invitation", args=[person.token]))
    attempt = person.attempt
    assert attempt.bank_version == cohort.bank_version
    assert response.url == reverse("taking:attempt_resume", args=[attempt.pk])
    assert client.get(response.url).url == reverse("taking:attempt_page", args=[attempt.pk, 1])
    # Following the link again resumes the same attempt.
    client.post(reverse("links:invitation", args=[person.token]))
    assert Participant.objects.get(pk=person.pk).attempt == attempt


def test_an_identified_cohort_says_so_before_people_start(client, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(identified=True)
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    assert (
        "your scores with your name"
        in client.get(reverse("links:invitation", args=[person.token])).text
    )


def test_a_forged_invitation_token_gets_404(client, cohort):
    assert client.get(reverse("links:invitation", args=["not-a-token"])).status_code == 404


def test_adding_one_person_refuses_a_duplicate_email(client, hr_admin, cohort):
    client.force_login(hr_admin)
    team = cohort.teams.first()
    url = reverse("cohorts:participant_add", args=[cohort.pk])
    client.post(url, {"name": "Ada", "email": "ada@example.com", "team": team.pk})
    response = client.post(url, {"name": "Ada", "email": "ADA@example.com", "team": team.pk})
    assert "already in this cohort" in response.text
    assert cohort.participants.count() == 1


def test_adding_someone_to_a_team_outside_the_cohort_says_the_team_joins(client, hr_admin, cohort):
    client.force_login(hr_admin)
    (apac,) = cast.teams("APAC sales")
    url = reverse("cohorts:participant_add", args=[cohort.pk])
    assert "A team not yet in this cohort joins it" in client.get(url).text
    response = client.post(
        url, {"name": "Ada", "email": "ada@example.com", "team": apac.pk}, follow=True
    )
    assert "Ada was added to Sales managers, Q1 2027. APAC sales joined the cohort." in (
        response.text
    )
    assert cohort.teams.filter(pk=apac.pk).exists()


class TestJoinLink:
    def url(self, cohort):
        return reverse("links:join", args=[cohort.join_code])

    def test_it_is_off_until_hr_turns_it_on(self, client, cohort):
        assert client.get(self.url(cohort)).status_code == 410

    def test_it_says_what_the_assessment_is_and_that_a_link_comes_by_email(self, client, cohort):
        cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
        page = client.get(self.url(cohort)).text
        assert "The Seller–Leader Spectrum is a five-minute assessment" in page
        assert "we will email you a personal link" in page

    def test_a_person_joins_with_name_email_and_team(self, client, cohort):
        cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
        team = cohort.teams.first()
        # The link goes out once the join commits (the task engine, at once in tests).
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                self.url(cohort), {"name": "Joan", "email": "joan@example.com", "team": team.pk}
            )
        person = cohort.participants.get()
        assert person.source == Participant.Source.JOIN
        assert "Check your email" in response.text
        assert f"/invite/{person.token}/" in mail.outbox[-1].body
        assert person.token not in response.text  # the link goes by email only

    def test_joining_again_tells_nobody_who_is_a_member(self, client, cohort):
        cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
        team = cohort.teams.first()
        member = add_people(cohort, team, 1)[0]
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                self.url(cohort),
                {"name": "Someone", "email": member.email.upper(), "team": team.pk},
            )
        assert "Check your email" in response.text
        assert "already" not in response.text
        assert cohort.participants.count() == 1
        assert mail.outbox[-1].to == [member.email]
        assert f"/invite/{member.token}/" in mail.outbox[-1].body

    def test_only_the_cohorts_teams_can_be_chosen(self, client, cohort):
        cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
        other = Team.objects.create(name="Finance")
        response = client.post(
            self.url(cohort), {"name": "Joan", "email": "joan@example.com", "team": other.pk}
        )
        assert "Select a valid choice" in response.text
        assert not cohort.participants.exists()

    def test_an_unknown_code_gets_404(self, client, cohort):
        assert client.get(reverse("links:join", args=["nope"])).status_code == 404


def test_completion_counts_per_team(client, hr_admin, cohort):
    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, 4, "emea") + add_people(cohort, us, 2, "us")
    complete(people[0])
    complete(people[1])
    participant_services.participant_attempt(participant=people[2])
    complete(people[4])
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:detail", args=[cohort.pk]))
    # Nobody was emailed; starting or completing counts as having been invited.
    rows = {
        row.team: (row.people, row.invited, row.started, row.completed)
        for row in response.context["rows"]
    }
    assert rows == {"EMEA sales": (4, 3, 1, 2), "US sales": (2, 1, 0, 1)}
    assert response.context["total"].completed == 3
    assert 'id="completion-figure"' in response.text
    assert "<caption>Invited, started and completed, by team</caption>" in response.text


@pytest.mark.parametrize("size", [10, 1000])
def test_cohort_pages_make_the_same_queries_whatever_the_size(
    client, hr_admin, cohort, size, django_assert_num_queries
):
    emea, us = cohort.teams.order_by("name")
    add_people(cohort, emea, size // 2, "emea")
    add_people(cohort, us, size - size // 2, "us")
    client.force_login(hr_admin)
    # 1 session, 2 user, 3 the user's own and group permissions, 4 cohorts with counts
    with django_assert_num_queries(4):
        client.get(reverse("cohorts:list"))
    # 1 session, 2 user, 3 permissions, 4 cohort, 5 completion per team,
    # 6 teams to confirm, 7 outbox counts
    with django_assert_num_queries(7):
        client.get(reverse("cohorts:detail", args=[cohort.pk]))
    # 1 session, 2 user, 3 permissions, 4 cohort, 5 its teams, 6 people
    # found, 7 which are on the page, 8 their progress, 9 the audit log's
    # record of the read
    for query in ("", "?q=emea&status=added&page=2"):
        with django_assert_num_queries(9):
            client.get(reverse("cohorts:participants", args=[cohort.pk]) + query)


def test_the_minimum_group_size_is_fixed_once_people_answer(cohort):
    """Raising it would re-draw which figures are shown, and the figures before
    and after could be subtracted (issue 8, class 2)."""
    cohort_services.cohort_update(cohort=cohort, teams=cohort.teams.all(), min_group_size=6)
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    participant_services.participant_attempt(participant=person)
    for size in (3, 8):
        with pytest.raises(cohort_services.CohortError, match="fixed at 6"):
            cohort_services.cohort_update(
                cohort=cohort, teams=cohort.teams.all(), min_group_size=size
            )
    cohort.refresh_from_db()
    assert cohort.min_group_size == 6


def test_a_team_with_people_cannot_be_taken_off_a_cohort(cohort):
    emea, us = cohort.teams.order_by("name")
    add_people(cohort, us, 1)
    with pytest.raises(cohort_services.CohortError, match="cannot be taken off"):
        cohort_services.cohort_update(cohort=cohort, teams=[emea])
    assert cohort.teams.count() == 2


def test_a_join_link_entrant_counts_for_their_team_once_hr_confirms_it(client, hr_admin, cohort):
    from assessments.models import ScoreTally

    team = cohort.teams.first()
    cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    person = participant_services.participant_join(
        cohort=cohort, name="Jo", email="jo@example.org", team=team
    )
    complete(person)
    overall = ScoreTally.objects.filter(cohort=cohort, measure="overall")
    assert not overall.exists()  # their result is in no figure yet
    client.force_login(hr_admin)
    overview = client.get(reverse("cohorts:detail", args=[cohort.pk])).text
    assert "1 person chose their team through the open join link" in overview
    to_confirm = reverse("cohorts:participants", args=[cohort.pk]) + "?status=unconfirmed"
    assert to_confirm in overview
    page = client.get(to_confirm).text
    assert 'Confirm team<span class="visually-hidden"> of Jo</span>' in page
    url = reverse("cohorts:participant_team_confirm", args=[cohort.pk, person.pk])
    response = client.post(url, follow=True)
    assert "Jo now counts towards" in response.text
    assert sum(overall.values_list("count", flat=True)) == 1
    assert "of Jo</span>" not in response.text
    assert "1 person chose" not in client.get(reverse("cohorts:detail", args=[cohort.pk])).text
    again = client.post(url, follow=True)  # confirming twice counts once, and says so
    assert "Jo already counts towards their team." in again.text
    assert sum(overall.values_list("count", flat=True)) == 1


# The HR area --------------------------------------------------------------------
# Who may reach each HR URL, and exactly what they get, is pinned by the leak
# probe (tests/test_leak_probe.py).


def test_unknown_ids_get_404_for_hr_admins(client, hr_admin, cohort):
    client.force_login(hr_admin)
    assert client.get(reverse("cohorts:detail", args=[999999])).status_code == 404
    assert client.get(reverse("cohorts:team_detail", args=[999999])).status_code == 404
    assert (
        client.get(reverse("cohorts:import_preview", args=[cohort.pk, 999999])).status_code == 404
    )


def test_the_hr_link_shows_only_for_hr_admins(client, participant, hr_admin, bank_version):
    hr_link = f'href="{reverse("cohorts:list")}"'
    client.force_login(participant)
    assert hr_link not in client.get(reverse("taking:home")).text
    client.force_login(hr_admin)
    assert hr_link in client.get(reverse("taking:home")).text


def test_the_kept_completion_section_is_drawn_again_once_a_count_changes(
    hr_client, cohort, monkeypatch
):
    """The section is kept rendered under its counts: a change to any count
    gives a new key, so the page never shows figures older than the people."""
    from assessments.cohorts.views import cohorts as cohort_views

    emea = cohort.teams.order_by("name").first()
    ann, _ = add_people(cohort, emea, 2)
    url = reverse("cohorts:detail", args=[cohort.pk])

    def footer() -> str:
        return hr_client.get(url).text.split("<tfoot>")[1].split("</tfoot>")[0]

    # People, invited, not started, started, completed, rate.
    assert footer() == footer()  # the second read from the cache
    assert "Nobody has been invited yet." in hr_client.get(url).text
    participant_services.participant_attempt(participant=ann)  # started, so invited
    assert "1 started" in footer()
    assert "Nobody has been invited yet." not in hr_client.get(url).text
    complete(ann)
    assert "0 started" in footer() and "<td>1</td><td>100%</td>" in footer()
    # Another deploy's template or chart code gives a new key too.
    before = hr_client.get(url).context["completion_key"]
    cohort_views.completion_version.cache_clear()
    monkeypatch.setattr(cohort_views, "sources_digest", lambda sources: "another deploy")
    try:
        assert hr_client.get(url).context["completion_key"] != before
    finally:
        cohort_views.completion_version.cache_clear()
