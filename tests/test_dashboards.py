"""Manager dashboards: aggregates only, and nothing below the minimum group size."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments import dashboards
from assessments.accounts.services import participant_data_delete
from assessments.cohorts import services as cohort_services
from assessments.dashboards import boards
from assessments.dashboards.tallies import publish_if_due, tallies_rebuild
from assessments.models import (
    OVERALL,
    Cohort,
    Participant,
    Release,
    ReleasedMean,
    ScoreTally,
    Team,
    TeamManager,
)
from tests import cast
from tests.cast import completed as finish  # people of a team who completed
from tests.helpers import found


def leader_lean(item) -> int:
    return 5 if item.pole == "leader" else 2


@pytest.fixture
def emea(cohort) -> Team:
    return cohort.teams.get(name="EMEA sales")


@pytest.fixture
def us(cohort) -> Team:
    return cohort.teams.get(name="US sales")


def dashboard(client, team, cohort=None):
    url = reverse("dashboards:team", args=[team.pk])
    return client.get(url + (f"?cohort={cohort.pk}" if cohort else ""))


def numbers_in(response) -> str:
    """Everything a page or download says, for checks that a figure is absent."""
    return response.content.decode()


@pytest.fixture
def emea_manager(emea, manager):
    TeamManager.objects.create(team=emea, user=manager)
    return manager


@pytest.mark.parametrize(("completed", "shown"), [(4, False), (5, True), (6, True)])
def test_a_team_is_shown_from_the_minimum_group_size(
    client, cohort, emea, us, emea_manager, completed, shown
):
    finish(cohort, emea, completed, "e")
    finish(cohort, us, 6, "u")
    client.force_login(emea_manager)
    response = dashboard(client, emea)
    board = response.context["board"]
    assert board.team_summary.shown is shown
    assert f"{completed} of {completed} invited have completed." in response.text
    if shown:
        # Figures move in steps of the minimum: the sixth person waits for the tenth.
        assert board.team_summary.n == 5
        assert 'id="spread-figure"' in response.text
        if completed > 5:
            assert "The figures below include 5 of them." in response.text
    else:
        assert board.team_summary.n is None
        assert board.team_summary.measures == {}
        assert "fewer than 5 people have completed" in response.text
        assert "EMEA sales: " not in response.text  # no table caption with a count
        csv_text = numbers_in(
            client.get(reverse("dashboards:team_csv", args=[emea.pk]) + f"?cohort={cohort.pk}")
        )
        rows = list(csv.DictReader(io.StringIO(csv_text)))
        emea_rows = [row for row in rows if row["group"] == "EMEA sales"]
        assert len(emea_rows) == 1 and emea_rows[0]["n"] == "" and emea_rows[0]["mean"] == ""


def test_the_figures_are_right(client, cohort, emea, us, emea_manager):
    finish(cohort, emea, 6, "a", value=leader_lean)  # overall 87.5
    finish(cohort, emea, 4, "b", value=4)  # overall 50
    client.force_login(emea_manager)
    summary = dashboard(client, emea).context["board"].team_summary
    overall = summary.measures[OVERALL]
    assert overall.n == 10
    # Each release's means are rounded once: the first five people's 87.5
    # to 90, the next five's 57.5 to 60; the team's figure is worked out
    # from those, 75, where the exact mean is 72.5 (half up, at its worst).
    assert overall.mean == 75
    assert overall.precise and overall.band.key == "leader_leaning"
    # No spread, quartiles or counts per band, for any group.
    assert not hasattr(overall, "sd") and not hasattr(summary, "bands")


def test_a_team_at_the_minimum_shows_only_coarse_means(client, cohort, emea, emea_manager):
    finish(cohort, emea, 3, "a", value=leader_lean)  # overall 87.5
    finish(cohort, emea, 2, "b", value=4)  # overall 50
    client.force_login(emea_manager)
    page = dashboard(client, emea)
    summary = page.context["board"].team_summary
    overall = summary.measures[OVERALL]
    assert overall.n == 5
    assert overall.mean == 75  # 72.5 to the nearest 5 points
    assert not overall.precise
    assert "EMEA sales: 5 completed; each mean to the nearest 5 points" in page.text
    note = "shown to the nearest 5 points while a team, or any team in a group, has fewer than 10"
    assert note in page.text
    assert (
        "each group&#x27;s means rounded once (to 5 points unless it has 25 people or more)"
        in page.text
    )


def test_a_small_team_cannot_be_recovered_by_subtraction(client, hr_admin, cohort, emea, us):
    """Three teams, one below the minimum: no page, CSV or chart lets anyone
    work out the small team's figures from the others."""
    small = Team.objects.create(name="Tiny")
    cohort.teams.add(small)
    finish(cohort, emea, 8, "e", value=4)
    finish(cohort, us, 6, "u", value=4)
    finish(cohort, small, 2, "t", value=leader_lean)  # very different: 87.5 each
    managers = {}
    for team in (emea, us, small):
        managers[team] = cast.manager(f"boss-{team.pk}", teams=[team])

    seen: dict[str, int] = {}  # group label -> n, from everything anyone can read
    pages = []
    for team, user in managers.items():
        client.force_login(user)
        pages.append(dashboard(client, team))
        pages.append(
            client.get(reverse("dashboards:team_csv", args=[team.pk]) + f"?cohort={cohort.pk}")
        )
    client.force_login(hr_admin)
    pages.append(client.get(reverse("dashboards:cohort", args=[cohort.pk])))
    pages.append(client.get(reverse("dashboards:cohort_csv", args=[cohort.pk])))
    for response in pages:
        assert response.status_code == 200
        if response["Content-Type"].startswith("text/csv"):
            for row in csv.DictReader(io.StringIO(response.content.decode())):
                if row["measure"] == "Overall":
                    seen[row["group"]] = int(row["n"])

    cohort_n = seen[f"{cohort.name} (all teams)"]
    visible_teams = {
        label: n for label, n in seen.items() if label in {"EMEA sales", "US sales", "Tiny"}
    }
    assert "Tiny" not in visible_teams
    # Figures are published in steps of five: five of EMEA's 8, five of US's 6.
    assert visible_teams == {"EMEA sales": 5, "US sales": 5}
    # Tiny's two results are below the first step of five: they enter no
    # figure at all, so the cohort is exactly its visible teams.
    difference = cohort_n - sum(visible_teams.values())
    assert difference == 0
    # The organisation equals the cohort here: no other small group to subtract.
    assert seen["Whole organisation"] == cohort_n == 10
    for response in pages:
        text = response.content.decode()
        assert "87.5" not in text  # the small team's exact score appears nowhere


def test_a_cohort_below_the_minimum_is_left_out_of_the_organisation(
    cohort, emea, bank_version, hr_admin
):
    finish(cohort, emea, 6, "e")
    other = cohort_services.cohort_open(
        cohort=cohort_services.cohort_create(
            name="Small cohort", bank_version=bank_version, teams=[emea], created_by=hr_admin
        )
    )
    finish(other, emea, 2, "s", value=leader_lean)
    Cohort.objects.filter(pk=other.pk).update(min_group_size=3)
    publish_if_due(cohort_id=other.pk, team_id=emea.pk)  # 2 is no step of 3: nothing
    finish(other, emea, 1, "s2", value=leader_lean)  # 3 of 3: published, but kept apart
    Cohort.objects.filter(pk=other.pk).update(min_group_size=5)
    n, _, _ = dashboards.organisation()
    assert n == 5


def test_a_small_team_takes_the_next_smallest_with_it(cohort, emea, us, bank_version):
    finish(cohort, emea, 5, "e")
    finish(cohort, us, 5, "u")
    tiny = Team.objects.create(name="Tiny")
    cohort.teams.add(tiny)
    # Tiny's 3 results published (as if the minimum had been 3 when they came).
    Cohort.objects.filter(pk=cohort.pk).update(min_group_size=3)
    finish(cohort, tiny, 3, "t", value=leader_lean)
    Cohort.objects.filter(pk=cohort.pk).update(min_group_size=5)
    cohort.refresh_from_db()
    board = dashboards.cohort_dashboard(cohort)
    shown = {summary.label for summary in board.teams if summary.shown}
    # Tiny (3) is withheld, and with it the next-smallest, so that the cohort
    # total minus what is shown is never Tiny alone.
    # Of two equally small teams, the one whose id sorts first (as text) goes with Tiny.
    goes = min((emea, us), key=lambda team: str(team.pk))
    assert shown == {emea.name, us.name} - {goes.name}
    assert board.cohort_summary.n is not None and board.cohort_summary.n - 5 >= 5
    assert board.cohort_summary.n == 13  # everyone: what is withheld is 8, not Tiny's 3


def test_a_comparison_that_would_reveal_a_small_group_is_withheld(cohort, emea):
    finish(cohort, emea, 5, "e")
    board = dashboards.team_dashboard(emea, cohort)
    # The cohort and the organisation are the team itself: shown, same figures.
    assert board.team_summary.n == board.cohort_summary.n == 5
    assert boards._comparison("Whole", 7, 5, 5, ScoreTally.objects.all(), True).withheld


def test_the_trend_follows_the_team_across_cohorts(cohort, emea, us, bank_version, hr_admin):
    finish(cohort, emea, 5, "e1", value=4)
    finish(cohort, us, 5, "u1", value=4)
    later = cohort_services.cohort_open(
        cohort=cohort_services.cohort_create(
            name="Q2", bank_version=bank_version, teams=[emea, us], created_by=hr_admin
        )
    )
    finish(later, emea, 4, "e2", value=leader_lean)
    finish(later, us, 5, "u2")
    points = dashboards.team_trend(emea)
    assert [point.cohort.name for point in points] == [cohort.name, "Q2"]
    assert points[0][1].measures[OVERALL].position == 50
    # In Q2, EMEA has 4 results: below the minimum, withheld.
    assert not points[1][1].shown
    finish(later, emea, 1, "e3", value=leader_lean)
    points = dashboards.team_trend(emea)
    assert points[1][1].measures[OVERALL].position == 90  # 87.5 to the nearest 5
    # 50 to 90 with five results each: beyond chance (22 points at 5 and 5).
    assert OVERALL in points[1].real_changes and not points[0].real_changes


def test_a_team_change_is_marked_from_what_the_figures_show_only():
    from assessments.dashboards.boards import TrendPoint, with_real_changes
    from assessments.dashboards.disclosure import Measure
    from assessments.dashboards.summaries import Summary

    def point(name, mean, n, withheld=""):
        measures = {} if withheld else {OVERALL: Measure(n=n, mean=mean, precise=n >= 10)}
        return TrendPoint(cohort=None, summary=Summary(name, n, measures, withheld))  # type: ignore[arg-type]

    marked = with_real_changes(
        [
            point("Q1", 50, 5),
            point("Q2", 70, 5),  # +20: within chance at 5 and 5 (22.3)
            point("Q3", 0, 0, withheld="Withheld"),
            point("Q4", 95, 5),  # +25 from Q2, the last shown: beyond chance
            point("Q5", 97, 200),  # +2 with more people: still within chance
        ]
    )
    assert [OVERALL in p.real_changes for p in marked] == [False, False, False, True, False]


def test_the_small_print_and_a_withheld_reason_are_each_said_once(
    client, hr_admin, cohort, emea, us
):
    finish(cohort, emea, 4, "e")  # withheld: fewer than 5
    finish(cohort, us, 6, "u")
    client.force_login(hr_admin)
    for page in (
        dashboard(client, emea),
        dashboard(client, us),
        client.get(reverse("dashboards:cohort", args=[cohort.pk])),
    ):
        assert page.text.count("No spread, quartile or count per band is shown") == 1
    withheld_page = dashboard(client, emea)
    assert withheld_page.text.count("fewer than 5 people have completed") == 1
    # The trend's cell for this cohort says only that; the reason is at the top.
    assert '<td colspan="4">Withheld</td>' in withheld_page.text


def test_managers_see_only_their_teams(client, cohort, emea, us, emea_manager):
    finish(cohort, emea, 5, "e")
    client.force_login(emea_manager)
    assert dashboard(client, emea).status_code == 200
    assert dashboard(client, us).status_code == 404
    assert client.get(reverse("dashboards:team_csv", args=[us.pk])).status_code == 404
    assert client.get(reverse("dashboards:cohort", args=[cohort.pk])).status_code == 403
    index = client.get(reverse("dashboards:index")).text
    assert "EMEA sales" in index and "US sales" not in index


@pytest.mark.parametrize("name", ["dashboards:index", "dashboards:team", "dashboards:cohort"])
def test_participants_and_anonymous_people_cannot_reach_dashboards(
    client, cohort, emea, participant, name
):
    args = {"dashboards:index": [], "dashboards:team": [emea.pk], "dashboards:cohort": [cohort.pk]}
    url = reverse(name, args=args[name])
    assert client.get(url).url == f"{reverse('accounts:login')}?next={url}"
    client.force_login(participant)
    assert client.get(url).status_code == 403


def test_hr_admins_see_any_team_and_whole_cohorts(client, hr_admin, cohort, emea, us):
    finish(cohort, emea, 5, "e")
    finish(cohort, us, 5, "u")
    client.force_login(hr_admin)
    assert dashboard(client, us).status_code == 200
    response = client.get(reverse("dashboards:cohort", args=[cohort.pk]))
    assert [s.label for s in response.context["board"].teams] == ["EMEA sales", "US sales"]
    assert all(s.shown for s in response.context["board"].teams)


def test_charts_travel_as_json_and_contain_only_shown_groups(
    client, cohort, emea, us, emea_manager
):
    finish(cohort, emea, 5, "e")
    finish(cohort, us, 5, "u")
    client.force_login(emea_manager)
    text = dashboard(client, emea).text
    figure = json.loads(
        found(r'<script id="spread-figure" type="application/json">(.*?)</script>', text).group(1)
    )
    assert [trace["name"] for trace in figure["data"]] == [
        "EMEA sales",
        f"{cohort.name} (all teams)",
        "Whole organisation",
    ]


def test_team_guidance_follows_the_teams_median(client, cohort, emea, us, emea_manager):
    from assessments.content import team_guidance

    finish(cohort, emea, 5, "e", value=leader_lean)
    finish(cohort, us, 5, "u")
    client.force_login(emea_manager)
    text = dashboard(client, emea).text
    assert team_guidance.TEAM_OVERALL_GUIDANCE["leader"].headline in text
    assert "all of the people" in text.lower()


@pytest.mark.parametrize("size", [5, 10_000])
def test_the_dashboard_makes_the_same_queries_for_5_or_10000_responses(
    client, cohort, emea, us, emea_manager, size, django_assert_num_queries
):
    # The dashboard reads releases only; make them as 5 or 10,000 submissions
    # would, five people each.
    for team in (emea, us):
        releases = Release.objects.bulk_create(
            Release(cohort=cohort, team=team, count=5, step=5) for _ in range(size // 5)
        )
        ReleasedMean.objects.bulk_create(
            ReleasedMean(release=release, measure=measure, mean=50 + 5 * (index % 3))
            for index, release in enumerate(releases)
            for measure in (OVERALL, "status_quo", "commitment", "disapproval")
        )
    client.force_login(emea_manager)
    # 1 session, 2 user, 3 permissions, 4 team, 5 cohort, 6 figures version
    # (the cache key), 7 released per team, 8-9 the cohort's teams (taking
    # part, with releases), 10 team measures, 11 cohort measures, 12 released
    # per team of every cohort, 13 organisation measures, 14-18 trend
    # (cohorts, released, teams x2, measures), 19 dimensions, 20-21 invited
    # and completed, 22 cohorts for the selector. A second request reads the
    # figures from the cache.
    with django_assert_num_queries(22):
        response = dashboard(client, emea)
    assert response.context["board"].team_summary.n == size


def test_tallies_match_a_rebuild_from_the_results(cohort, emea, us):
    finish(cohort, emea, 4, "e", value=leader_lean)
    finish(cohort, us, 3, "u")
    before = sorted(ScoreTally.objects.values_list("cohort", "team", "measure", "bucket", "count"))
    tallies_rebuild()
    after = sorted(ScoreTally.objects.values_list("cohort", "team", "measure", "bucket", "count"))
    # Two teams x four measures; each team's people score alike, so one bucket.
    assert before == after and len(before) == 8


def test_deleting_ones_data_takes_it_out_of_the_tallies(cohort, emea):
    from assessments.accounts.services import participant_data_delete

    person = finish(cohort, emea, 1, "e")[0]
    assert ScoreTally.objects.filter(measure=OVERALL).get().count == 1
    participant_data_delete(participant=person)
    assert ScoreTally.objects.filter(measure=OVERALL).get().count == 0


def test_a_cached_dashboard_is_never_read_after_its_figures_change(
    client, cohort, emea, us, emea_manager, django_assert_max_num_queries
):
    finish(cohort, emea, 5, "e", value=4)
    finish(cohort, us, 5, "u")
    client.force_login(emea_manager)
    first = dashboard(client, emea)
    assert first.context["board"].team_summary.measures[OVERALL].position == 50
    with django_assert_max_num_queries(12):  # the figures come from the cache
        dashboard(client, emea)
    finish(cohort, emea, 5, "f", value=leader_lean)  # the tenth publishes new figures
    after = dashboard(client, emea)
    assert after.context["board"].team_summary.n == 10
    assert "10 of 10 invited have completed." in after.text


def test_the_chart_says_when_it_shows_rounded_means_not_medians(cohort, emea):
    from assessments.dashboards import presentation

    finish(cohort, emea, 5, "e")
    small = presentation.dashboard_figures(dashboards.team_dashboard(emea, cohort))
    assert small["spread"] is not None
    title = small["spread"]["layout"]["title"]["text"]
    assert title.startswith("Mean of each group (to the nearest 5 points for small groups)")
    assert set(small) == {"spread", "trend"}
    finish(cohort, emea, 5, "f")
    large = presentation.dashboard_figures(dashboards.team_dashboard(emea, cohort))
    assert large["spread"] is not None
    title = large["spread"]["layout"]["title"]["text"]  # one team: the cohort is the team
    assert title == "Mean of each group, 0 (seller) to 100 (leader)"


def test_figures_come_from_releases_alone(client, cohort, emea, emea_manager):
    """Pages read the one rounded mean of each release, never the live sums:
    spoiling the live tallies changes no figure."""
    finish(cohort, emea, 5, "a", value=leader_lean)
    client.force_login(emea_manager)
    before = dashboard(client, emea).context["board"].team_summary
    ScoreTally.objects.update(total=0, total_sq=0)
    cache.clear()
    assert dashboard(client, emea).context["board"].team_summary == before
    assert before.measures[OVERALL].mean == 90  # 87.5, rounded once to 5 points


def test_a_deletion_leaves_its_release_as_it_was_shown(client, cohort, emea, emea_manager):
    """A release is never taken back or worked out again: the difference
    would describe the person who left. Later releases hold only new people."""
    people = finish(cohort, emea, 5, "a", value=leader_lean)
    (release,) = Release.objects.filter(cohort=cohort, team=emea)
    means = dict(release.means.values_list("measure", "mean"))
    participant_data_delete(participant=people[0])
    release.refresh_from_db()
    assert release.count == 5 and dict(release.means.values_list("measure", "mean")) == means
    finish(cohort, emea, 5, "b", value=4)
    second = Release.objects.filter(cohort=cohort, team=emea).exclude(pk=release.pk).get()
    assert second.count == 5 and second.means.get(measure=OVERALL).mean == 50
    client.force_login(emea_manager)
    summary = dashboard(client, emea).context["board"].team_summary
    assert summary.n == 10 and summary.measures[OVERALL].mean == 70  # (5 x 90 + 5 x 50) / 10


def test_the_move_to_releases_keeps_the_figures_people_saw(client, cohort, emea, us, emea_manager):
    """Migration 0016 turns each team's published people into one release,
    rounded as the team's figure was, so no figure moves; a team left with
    fewer than its minimum after deletions shows nothing."""
    import importlib

    from django.apps import apps

    move = importlib.import_module("assessments.migrations.0016_releases").release_published
    finish(cohort, emea, 6, "a", value=leader_lean)
    finish(cohort, emea, 4, "b", value=4)  # 10 published: the old figure was 72.5 -> 73
    gone = finish(cohort, us, 5, "u")
    for person in gone[:1]:
        participant_data_delete(participant=person)
    Release.objects.all().delete()  # as before releases: people marked published
    assert Participant.objects.filter(published_at__isnull=False).count() == 15
    move(apps, None)
    (release,) = Release.objects.filter(team=emea)
    assert release.count == 10 and release.step == 1
    assert set(release.participants.values_list("team", flat=True)) == {emea.pk}
    assert not Release.objects.filter(team=us).exists()  # four left of five
    client.force_login(emea_manager)
    assert dashboard(client, emea).context["board"].team_summary.measures[OVERALL].mean == 73


def test_figures_from_more_results_than_remain_say_why(client, cohort, emea, emea_manager):
    """After a deletion the figures keep their release: the page says why they
    are from more results than have completed now."""
    people = finish(cohort, emea, 5, "a", value=leader_lean)
    participant_data_delete(participant=people[0])
    client.force_login(emea_manager)
    text = dashboard(client, emea).text
    assert "4 of 4 invited have completed." in text
    assert "The figures below are from 5 results: some people deleted their data" in text
