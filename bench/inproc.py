"""For the in-process benchmarks (hr_scale.py, dashboard.py): an open cohort with its HR
admin; completed responses written straight into the tables (participants, submitted
attempts, results and dimension scores, scored by assessments.content.scoring from seeded
random answers, so that scores, bands and rounding are those of real submissions; no
Response rows, which dashboards never read); and requests timed with Django's test Client."""

import random
import time
from datetime import datetime, timedelta
from typing import Any

from sandbox import BenchError


def hr_cohort(team_names: list[str]) -> tuple[Any, Any, list[Any]]:
    """An HR admin, and an open cohort of these teams on the default bank."""
    from django.contrib.auth import get_user_model

    from assessments.cohorts.services import cohort_create, cohort_open
    from assessments.cohorts.teams import teams_get_or_create
    from assessments.models import BankVersion
    from assessments.roles import grant_role

    hr = get_user_model().objects.create_user("bench-hr", "hr@example.com", "bench-password-1")
    grant_role(hr, "hr_admin")
    teams = sorted(teams_get_or_create(team_names), key=lambda team: team.name)
    version = BankVersion.objects.current()  # the default bank's newest version, on a fresh site
    if version is None:
        raise BenchError("No question bank: load_default_bank first.")
    cohort = cohort_create(name="Bench cohort", bank_version=version, teams=teams, created_by=hr)
    return hr, cohort_open(cohort=cohort), teams


class Seeder:
    """Tops a cohort up in batches of 5,000, one invited who has not answered per four who
    have; each person leans on each dimension around their team's lean, with noise."""

    def __init__(self, cohort: Any, teams: list[Any]) -> None:
        from assessments.models import Item, with_options

        self.cohort, self.teams, self.completed, self.people = cohort, teams, 0, 0
        items = Item.objects.filter(version=cohort.bank_version).select_related("dimension")
        self.items = with_options(list(items.order_by("order")))
        self.dimensions = {item.dimension.key: item.dimension for item in self.items}
        self.order = sorted(self.dimensions, key=lambda key: self.dimensions[key].order)
        self.random = random.Random(20261128)  # noqa: S311 - seeded on purpose, not a secret
        self.lean = {t.pk: {k: self.random.uniform(-0.2, 0.2) for k in self.order} for t in teams}

    def top_up(self, target: int) -> None:
        from django.db import transaction
        from django.utils import timezone

        from assessments.models import Attempt, DimensionScore, Participant, Result

        while self.completed < target:
            count, now = min(5000, target - self.completed), timezone.now()
            people = [self.person(now) for _ in range(count + round(count / 4))]
            answering = people[:count]
            self.random.shuffle(people)  # respondents and invited-only people mixed in id order
            with transaction.atomic():
                Participant.objects.bulk_create(people, batch_size=1000)
                results = [self.result(person, now) for person in answering]
                Attempt.objects.bulk_create([result.attempt for result, _ in results], 1000)
                Result.objects.bulk_create([result for result, _ in results], 1000)
                scores = [score for _, scores in results for score in scores]
                DimensionScore.objects.bulk_create(scores, 3000)
                self.release(answering, results, now)
            self.completed += count

    def release(self, answering: list[Any], results: list[Any], now: datetime) -> None:
        """Each team's new people in releases of the minimum group size, as
        tallies.publish_if_due makes them one completion at a time."""
        from assessments.dashboards.disclosure import release_step, released_means
        from assessments.models import Participant, Release, ReleasedMean

        k = self.cohort.min_group_size
        by_team: dict[int, list[tuple[Any, list[Any]]]] = {}
        for person, (_, scores) in zip(answering, results, strict=True):
            by_team.setdefault(person.team_id, []).append((person, scores))
        groups = [
            people[start : start + k]
            for people in by_team.values()
            for start in range(0, len(people) - k + 1, k)
        ]
        step = release_step(k, k)
        releases = Release.objects.bulk_create(
            [
                Release(
                    cohort=self.cohort,
                    team_id=group[0][0].team_id,
                    released_at=now,
                    count=k,
                    step=step,
                )
                for group in groups
            ],
            batch_size=1000,
        )
        means = []
        for release, group in zip(releases, groups, strict=True):
            for person, _ in group:
                person.release, person.published_at = release, now
            totals = dict.fromkeys(self.order, 0.0)
            for _, scores in group:
                for score in scores:
                    totals[score.dimension.key] += score.score
            rounded = released_means({key: total / k for key, total in totals.items()}, step)
            means += [ReleasedMean(release=release, measure=m, mean=v) for m, v in rounded.items()]
        ReleasedMean.objects.bulk_create(means, batch_size=4000)
        released = [person for group in groups for person, _ in group]
        Participant.objects.bulk_update(released, ["release", "published_at"], 1000)

    def person(self, now: datetime) -> Any:
        from assessments.models import Participant

        number, self.people = self.people, self.people + 1
        who = {"name": f"Person {number}", "email": f"person{number}@example.com"}
        team, created_at = self.teams[number % len(self.teams)], now - timedelta(days=30)
        return Participant(
            cohort=self.cohort, team=team, created_at=created_at, source="join", **who
        )

    def result(self, person: Any, now: datetime) -> tuple[Any, list[Any]]:
        """An unsaved result, its submitted attempt in `.attempt`, and its scores."""
        from assessments.content import scoring
        from assessments.models import Attempt, DimensionScore, Result

        lean = {k: self.random.gauss(0.5 + o, 0.15) for k, o in self.lean[person.team_id].items()}
        answers = []
        for item in self.items:
            level = round(4 * min(1.0, max(0.0, self.random.gauss(lean[item.dimension.key], 0.2))))
            if item.is_scenario:  # the response placed nearest the person's level
                target = 25 * level
                option = min(item.options.all(), key=lambda o: abs(o.position - target))
                answers.append(
                    scoring.Answer(item.dimension.key, "", option.order, option.position)
                )
                continue
            value = 1 + level if item.pole == scoring.LEADER else 5 - level
            answers.append(scoring.Answer(item.dimension.key, item.pole, value))
        scores = scoring.score(answers, dimensions=self.order)
        submitted = now - timedelta(minutes=self.random.uniform(0, 60 * 24 * 21))
        attempt = Attempt(
            bank_version=self.cohort.bank_version, participant=person, status="submitted"
        )
        attempt.started_at, attempt.submitted_at = submitted - timedelta(minutes=10), submitted
        result = Result(attempt=attempt, bank_version=attempt.bank_version, overall=scores.overall)
        result.scoring_version, result.band = scores.version, scores.band().key
        result.created_at = submitted
        bands = {k: scoring.band_for(v).key for k, v in scores.dimensions.items()}
        return result, [
            DimensionScore(result=result, dimension=self.dimensions[k], score=v, band=bands[k])
            for k, v in scores.dimensions.items()
        ]


def page_times(client: Any, url: str, repeat: int) -> list[float]:
    """Milliseconds of `repeat` requests, after 5 that warm templates and connections."""
    times = []
    for _ in range(repeat + 5):
        began = time.perf_counter()
        if (status := client.get(url).status_code) != 200:
            raise BenchError(f"{url} answered {status} in-process")
        times.append((time.perf_counter() - began) * 1000)
    return times[5:]


def query_count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)
