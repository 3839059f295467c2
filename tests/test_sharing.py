"""Sharing one's own result with one's team's managers: off by default, revocable."""

from django.test import Client
from django.urls import reverse

from assessments.models import Release, ResultShare, ScoreTally, TeamManager
from tests.helpers import add_people, complete
from tests.test_result_precision import both_poles_on


def take_in_browser(client, person, value=4):
    """Follow the invitation link in this browser and finish."""
    client.post(reverse("links:invitation", args=[person.token]))
    return complete(person, value)


def test_sharing_is_off_until_the_person_turns_it_on(client, cohort, manager):
    team = cohort.teams.first()
    TeamManager.objects.create(team=team, user=manager)
    person = add_people(cohort, team, 1)[0]
    result = take_in_browser(client, person)
    page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "Share it with my managers" in page
    assert not ResultShare.objects.exists()

    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    share = ResultShare.objects.get()
    assert share.team == team

    boss = Client()
    boss.force_login(manager)
    index = boss.get(reverse("dashboards:index")).text
    assert person.name in index

    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "off"})
    assert not ResultShare.objects.exists()
    assert person.name not in boss.get(reverse("dashboards:index")).text


def test_only_the_person_who_took_it_can_share(client, cohort):
    person = add_people(cohort, cohort.teams.first(), 1)[0]
    result = complete(person)  # taken elsewhere: not in this browser's session
    response = client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    assert response.status_code == 404
    assert not ResultShare.objects.exists()
    assert (
        "Share it with my managers"
        not in client.get(reverse("taking:result_detail", args=[result.token])).text
    )


def test_a_result_outside_a_cohort_cannot_be_shared(client, bank_version):
    client.post(reverse("taking:attempt_start"))
    from assessments.models import Attempt
    from assessments.taking import services
    from tests.helpers import answer_all

    attempt = Attempt.objects.get()
    answer_all(attempt)
    result = services.attempt_submit(attempt=attempt)
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    assert not ResultShare.objects.exists()


def published(cohort, team) -> list:
    return list(Release.objects.filter(cohort=cohort, team=team).values_list("pk", "count"))


def test_a_shared_result_never_enters_the_figures_even_after_sharing_stops(client, cohort):
    team = cohort.teams.first()
    person = add_people(cohort, team, 1)[0]
    result = take_in_browser(client, person)
    before = published(cohort, team)
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    assert published(cohort, team) == before  # sharing publishes nothing
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "off"})
    for other in add_people(cohort, team, 5, "later"):
        complete(other)
    # The next release holds the five others, not the shared result.
    (release,) = Release.objects.filter(cohort=cohort, team=team)
    assert release.count == 5
    assert set(release.participants.values_list("pk", flat=True)).isdisjoint({person.pk})
    overall = ScoreTally.objects.filter(cohort=cohort, team=team, measure="overall")
    assert sum(overall.values_list("count", flat=True)) == 5


def test_a_result_already_in_the_figures_can_no_longer_be_shared(client, cohort):
    team = cohort.teams.first()
    person = add_people(cohort, team, 1)[0]
    result = take_in_browser(client, person)
    for other in add_people(cohort, team, 4, "other"):
        complete(other)
    page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "can no longer be shared" in page
    assert "Share it with my managers" not in page
    response = client.post(
        reverse("taking:result_share", args=[result.token]), {"shared": "on"}, follow=True
    )
    assert "already part of your team&#x27;s published figures" in response.text
    assert not ResultShare.objects.exists()


def test_managers_of_other_teams_do_not_see_shared_results(client, cohort, manager):
    emea, us = cohort.teams.order_by("name")
    TeamManager.objects.create(team=us, user=manager)
    person = add_people(cohort, emea, 1)[0]
    result = take_in_browser(client, person)
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    boss = Client()
    boss.force_login(manager)
    assert person.name not in boss.get(reverse("dashboards:index")).text


def test_a_manager_reads_a_shared_result_until_sharing_stops(client, cohort, manager):
    team = cohort.teams.first()
    TeamManager.objects.create(team=team, user=manager)
    person = add_people(cohort, team, 1)[0]
    result = take_in_browser(client, person)
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    share = ResultShare.objects.get()
    boss = Client()
    boss.force_login(manager)
    page = boss.get(reverse("dashboards:shared_result", args=[share.pk]))
    assert page.status_code == 200
    assert person.name in page.text
    assert result.token not in boss.get(reverse("dashboards:index")).text
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "off"})
    assert boss.get(reverse("dashboards:shared_result", args=[share.pk])).status_code == 404


def test_shared_results_do_not_count_towards_a_teams_anonymity(cohort, bank_version):
    """Five in a team, four share before the figures are published: the
    team's figures would give away the fifth, so there are none."""
    from assessments import dashboards
    from assessments.dashboards.sharing import result_share_set

    emea, us = cohort.teams.order_by("name")
    people = add_people(cohort, emea, 5)
    results = [complete(person) for person in people[:4]]
    for result in results:
        result_share_set(result=result, shared=True)
    complete(people[4])
    for person in add_people(cohort, us, 5, "u"):
        complete(person)
    board = dashboards.team_dashboard(emea, cohort)
    assert not board.team_summary.shown
    # The cohort's figures are US sales' alone: nothing of the fifth person.
    assert board.cohort_summary.n == 5


def test_a_shared_unclear_result_says_so_to_the_manager_and_gives_no_guidance(
    client, cohort, manager
):
    """A result whose answers cannot be read as a position says so before it
    is shared, and the manager reads why, with no guidance for a position
    the answers do not show."""
    team = cohort.teams.first()
    TeamManager.objects.create(team=team, user=manager)
    person = add_people(cohort, team, 1)[0]
    result = take_in_browser(client, person, value=both_poles_on("commitment"))
    page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert "Your managers would see, as you do here, that your answers cannot be read" in page
    client.post(reverse("taking:result_share", args=[result.token]), {"shared": "on"})
    boss = Client()
    boss.force_login(manager)
    text = boss.get(reverse("dashboards:shared_result", args=[ResultShare.objects.get().pk])).text
    assert "These answers cannot be read as a position on Asking for commitment" in text
    assert "Asking for commitment:" not in text  # no guidance heading for it
    assert text.count('<h3 class="h5">') == 2  # the other two differences' guidance
