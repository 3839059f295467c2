"""Team dashboard throughput against hello-world, at 1,000, 10,000 and 100,000 responses.

Run on demand from the project folder (about 3.5 minutes):

    .venv/bin/python bench/dashboard.py [--sizes 1000,10000,100000] [--duration 10]
        [--repeat 50] [--explain] [--profile]

It creates a PostgreSQL database `spectrum_dashbench` on 127.0.0.1:5432 (user
postgres, trust authentication), migrates it, loads the default bank and makes
one open cohort of 10 teams with a manager of the first team. For each size it
tops the cohort up to that many completed responses, written straight into the
tables (participants, submitted attempts, results and dimension scores, with
scores computed by `assessments.content.scoring` from seeded random answers), and then
recounts the tallies with `tallies_rebuild()`, so they are what the same
submissions would have left behind. Then it serves the site with gunicorn
(`config.wsgi`, 2 sync workers, pinned to core 1) and loads it with wrk
(pinned to core 0): a hello-world view and the manager's team dashboard, with
a signed-in session cookie. It also times the dashboard in-process with
Django's test Client, times the view's parts (aggregates, plotly figures, the
whole view) and lists the dashboard's queries; --explain adds EXPLAIN ANALYZE
of each query, --profile a cProfile of dashboard requests.

It prints figures and asserts nothing about them: it exits non-zero only when
something failed to run. Every process it starts is stopped and the database is
dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from _server import BenchError, free_port, spawn_gunicorn, stop_process, wait_until_answering

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATABASE = "spectrum_dashbench"
SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEAMS = 10
INVITED_PER_COMPLETED = 0.25  # one invited person who has not answered for every four who have
SEED = 20261128
# The aims, printed beside the figures (never asserted).
AIM_SHARE_AT_10K = 3.0  # per cent of hello-world's requests per second
AIM_GROWTH_1K_TO_100K = 2.0  # at most twice the time

SETTINGS_MODULE = "bench_dashboard_settings"
URLS_MODULE = "bench_dashboard_urls"
SETTINGS_TEXT = f"""\
# Written by bench/dashboard.py: the project's own settings, production-like
# (DEBUG off), with a hello-world view added to the URLs and plain static
# file storage, so no collectstatic manifest is needed.
from pathlib import Path

from config.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
ROOT_URLCONF = "{URLS_MODULE}"
STATIC_ROOT = Path(__file__).resolve().parent / "static_root"
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}}
"""
URLS_TEXT = """\
# Written by bench/dashboard.py: the site's URLs plus a hello-world view.
from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("bench/hello/", hello), path("", include("config.urls"))]
handler400 = "assessments.errors.bad_request"
"""


# --------------------------------------------------------------------------
# The database and the site's settings
# --------------------------------------------------------------------------


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def site_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DJANGO_DEBUG", "DJANGO_ENV", "DJANGO_ALLOWED_HOSTS", "DJANGO_CONN_MAX_AGE"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp), str(ROOT), env.get("PYTHONPATH")]))
    env["DJANGO_LOG_LEVEL"] = "WARNING"
    return env


def setup_django(tmp: Path) -> dict[str, str]:
    (tmp / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT)
    (tmp / f"{URLS_MODULE}.py").write_text(URLS_TEXT)
    (tmp / "static_root").mkdir()
    env = site_env(tmp)
    # This process runs with the same settings as the server it starts.
    for name in ("DJANGO_DEBUG", "DJANGO_ENV", "DJANGO_ALLOWED_HOSTS", "DJANGO_CONN_MAX_AGE"):
        os.environ.pop(name, None)
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_LOG_LEVEL"):
        os.environ[name] = env[name]
    sys.path[:0] = [str(tmp), str(ROOT)]
    import django

    django.setup()
    return env


# --------------------------------------------------------------------------
# Seeding: completed responses written straight into the tables
# --------------------------------------------------------------------------


class Seeder:
    """Tops one cohort up to a number of completed responses.

    Each person leans somewhere on each dimension (around their team's lean)
    and answers every item of the bank with some noise; their scores are then
    computed by `assessments.content.scoring`, exactly as a submission would.
    """

    BATCH = 5000

    def __init__(self, cohort, teams, version) -> None:
        from assessments.models import Item

        self.cohort = cohort
        self.teams = teams
        self.version = version
        self.items = list(
            Item.objects.filter(version=version).select_related("dimension").order_by("order")
        )
        self.dimensions = {item.dimension.key: item.dimension for item in self.items}
        self.order = sorted(self.dimensions, key=lambda key: self.dimensions[key].order)
        self.random = random.Random(SEED)  # noqa: S311 - seeded on purpose, not for secrets
        self.team_lean = {
            team.pk: {key: self.random.uniform(-0.2, 0.2) for key in self.order} for team in teams
        }
        self.completed = 0
        self.people = 0

    def _scores(self, team_id: int):
        from assessments.content import scoring

        lean = {
            key: min(1.0, max(0.0, self.random.gauss(0.5 + offset, 0.15)))
            for key, offset in self.team_lean[team_id].items()
        }
        answers = []
        for item in self.items:
            level = round(4 * min(1.0, max(0.0, self.random.gauss(lean[item.dimension.key], 0.2))))
            value = 1 + level if item.pole == scoring.LEADER else 5 - level
            answers.append(scoring.Answer(item.dimension.key, item.pole, value))
        return scoring.score(answers, dimensions=self.order)

    def top_up(self, target: int) -> dict[str, float]:
        """Add completed responses (and some invited people who have not
        answered) until the cohort has `target` completed; returns timings."""
        from datetime import timedelta

        from django.db import transaction
        from django.utils import timezone

        from assessments.content import scoring
        from assessments.models import Attempt, DimensionScore, Participant, Result

        timings = {"rows": 0.0}
        now = timezone.now()
        while self.completed < target:
            started = time.perf_counter()
            count = min(self.BATCH, target - self.completed)
            invited = round(count * INVITED_PER_COMPLETED)
            people = []
            for i in range(count + invited):
                number = self.people + i
                people.append(
                    Participant(
                        cohort=self.cohort,
                        team=self.teams[number % len(self.teams)],
                        name=f"Person {number}",
                        email=f"person{number}@example.com",
                        source=Participant.Source.CSV,
                        created_at=now - timedelta(days=30),
                    )
                )
            self.people += len(people)
            answering = people[:count]
            for person in answering:  # as if every one of them were in published figures
                person.published_at = now
            self.random.shuffle(people)  # respondents and invited-only people mixed in id order
            with transaction.atomic():
                Participant.objects.bulk_create(people, batch_size=1000)
                attempts, results, scores = [], [], []
                for person in answering:
                    submitted = now - timedelta(minutes=self.random.uniform(0, 60 * 24 * 21))
                    attempt = Attempt(
                        bank_version=self.version,
                        participant=person,
                        status=Attempt.Status.SUBMITTED,
                        started_at=submitted - timedelta(minutes=self.random.uniform(4, 20)),
                        submitted_at=submitted,
                    )
                    computed = self._scores(person.team_id)
                    attempts.append(attempt)
                    results.append(
                        Result(
                            attempt=attempt,
                            bank_version=self.version,
                            scoring_version=scoring.SCORING_VERSION,
                            overall=computed.overall,
                            band=computed.band().key,
                            created_at=submitted,
                        )
                    )
                    scores.append(computed)
                Attempt.objects.bulk_create(attempts, batch_size=1000)
                Result.objects.bulk_create(results, batch_size=1000)
                DimensionScore.objects.bulk_create(
                    (
                        DimensionScore(
                            result=result,
                            dimension=self.dimensions[key],
                            score=value,
                            band=scoring.band_for(value).key,
                        )
                        for result, computed in zip(results, scores, strict=True)
                        for key, value in computed.dimensions.items()
                    ),
                    batch_size=3000,
                )
            self.completed += count
            timings["rows"] += time.perf_counter() - started
        return timings


def rebuild_and_analyse() -> dict[str, float]:
    from django.db import connection

    from assessments.dashboards.tallies import tallies_rebuild

    started = time.perf_counter()
    tallies_rebuild()
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum would do to freshly loaded tables, done now so every
        # run plans its queries from the same statistics.
        cursor.execute("VACUUM ANALYZE")
    return {"tallies_rebuild": rebuilt, "vacuum_analyze": time.perf_counter() - started}


# --------------------------------------------------------------------------
# Serving and loading
# --------------------------------------------------------------------------


def cores() -> tuple[list[str], list[str], str]:
    """taskset prefixes for the server and the load generator."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return (["taskset", "-c", "1"], ["taskset", "-c", "0"], "gunicorn on core 1, wrk on core 0")
    return [], [], "not pinned (needs taskset and 2 cores)"


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, cookie: str, seconds: int, pin: list[str]) -> dict[str, float]:
    """One wrk run: requests/s and latency percentiles in ms."""
    command = [
        *pin,
        "wrk",
        "--threads",
        "1",
        "--connections",
        "4",
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "--header",
        f"Cookie: {cookie}",
        url,
    ]
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    out = done.stdout
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {out}\n{done.stderr}")
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise BenchError(f"wrk saw failed requests for {url}:\n{out}")
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    figures["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    for percent in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        figures[f"p{percent}"] = float(match.group(1)) * UNITS[match.group(2)]
    return figures


def fetch(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


# --------------------------------------------------------------------------
# In-process: Django's test Client, without HTTP
# --------------------------------------------------------------------------


def in_process(client, url: str, repeat: int) -> list[float]:
    for _ in range(5):
        client.get(url)  # warm up: templates, connections
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code} in-process")
    return times


class QueryTimer:
    """An execute wrapper that times every query with perf_counter."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def query_profile(client, url: str, repeat: int) -> list[tuple[float, str, object]]:
    """The dashboard's queries in the order one request makes them: the median
    time of each over `repeat` requests, its SQL and its parameters."""
    from django.db import connection

    runs = []
    for _ in range(repeat):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            client.get(url)
        runs.append(timer.queries)
    if len({len(run) for run in runs}) != 1:
        raise BenchError("The dashboard made a different number of queries on each request")
    return [
        (statistics.median(run[i][0] for run in runs), sql, params)
        for i, (_, sql, params) in enumerate(runs[0])
    ]


def breakdown(request, team_id: int, repeat: int) -> dict[str, float]:
    """Median ms of the team dashboard view's parts, called directly: reading
    the aggregates (every query of assessments.dashboards.team_dashboard),
    building the plotly figures, and the whole view with its template."""
    from assessments import dashboards
    from assessments.dashboards import presentation, views

    team, cohort = views._team_and_cohort(request, team_id)

    def median_ms(action) -> float:
        action()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    board = dashboards.team_dashboard(team, cohort)
    return {
        "aggregates": median_ms(lambda: dashboards.team_dashboard(team, cohort)),
        "figures": median_ms(lambda: presentation.dashboard_figures(board)),
        "view": median_ms(lambda: views.team_dashboard(request, team_id)),
    }


def explain(queries) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for number, (_, sql, params) in enumerate(queries, 1):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
            print(f"  [{number}] {short_sql(sql, 200)}\n{plan}")


def profile(client, url: str, top: int = 25) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print("cProfile of 10 dashboard requests, by cumulative time:")
    print(out.getvalue())


def short_sql(sql: str, width: int = 110) -> str:
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r'"assessments_(\w+)"', r"\1", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


# --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--repeat", type=int, default=50, help="in-process requests per size")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE every query")
    parser.add_argument("--profile", action="store_true", help="cProfile dashboard requests")
    args = parser.parse_args()
    sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(","))
    if not shutil.which("wrk"):
        print("Needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    # A plain `kill` still stops the server and drops the database (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    started_all = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="dashbench-"))
    server = None
    created = False
    results: dict[int, dict] = {}
    try:
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
        created = True
        env = setup_django(tmp)

        from django.conf import settings
        from django.contrib.auth import (
            BACKEND_SESSION_KEY,
            HASH_SESSION_KEY,
            SESSION_KEY,
            get_user_model,
        )
        from django.contrib.sessions.backends.db import SessionStore
        from django.core.management import call_command
        from django.db import connection, connections
        from django.db.models import Sum
        from django.test import Client, RequestFactory
        from django.urls import reverse

        from assessments.banks.rules import read_bank_file
        from assessments.banks.services import bank_import
        from assessments.cohorts import services as cohort_services
        from assessments.cohorts import teams as team_services
        from assessments.models import OVERALL, ScoreTally, TeamManager
        from assessments.roles import grant_role

        step = time.perf_counter()
        call_command("migrate", verbosity=0)
        version, _ = bank_import(data=read_bank_file())
        users = get_user_model()
        hr = users.objects.create_user("bench-hr", "hr@example.com", "bench-password-1")
        grant_role(hr, "hr_admin")
        teams = team_services.teams_get_or_create(f"Team {i:02d}" for i in range(TEAMS))
        teams.sort(key=lambda team: team.name)
        cohort = cohort_services.cohort_create(
            name="Autumn 2026", bank_version=version, teams=teams, created_by=hr
        )
        cohort = cohort_services.cohort_open(cohort=cohort)
        team = teams[0]
        manager = users.objects.create_user("bench-manager", "m@example.com", "bench-password-1")
        TeamManager.objects.create(team=team, user=manager)
        grant_role(manager, "manager")
        session = SessionStore()
        session[SESSION_KEY] = str(manager.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = manager.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        setup_s = time.perf_counter() - step

        server_pin, load_pin, pinning = cores()
        dashboard_path = reverse("team_dashboard", args=[team.pk]) + f"?cohort={cohort.pk}"
        hello_path = "/bench/hello/"
        print(
            f"Dashboard benchmark, {time.strftime('%Y-%m-%d %H:%M')}: PostgreSQL "
            f"{connection.pg_version // 10000}.{connection.pg_version % 10000} "
            f"(database {DATABASE}), Django settings {SETTINGS_MODULE} (DEBUG off), "
            f"{os.cpu_count()} cores, {pinning}; PostgreSQL itself is not pinned."
        )
        print(
            f"Set-up (migrate, bank, cohort of {TEAMS} teams, manager of {team.name}): "
            f"{setup_s:.1f} s. Dashboard: {dashboard_path}"
        )

        seeder = Seeder(cohort, teams, version)
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        for size in sizes:
            print(f"\n=== {size:,} completed responses ===")
            before = seeder.completed
            step = time.perf_counter()
            timings = seeder.top_up(size)
            timings |= rebuild_and_analyse()
            seeded_s = time.perf_counter() - step
            counted = ScoreTally.objects.filter(cohort=cohort, measure=OVERALL).aggregate(
                n=Sum("count")
            )["n"]
            if counted != size:
                raise BenchError(f"The tallies count {counted} responses, not {size}")
            team_n = sum(
                ScoreTally.objects.filter(cohort=cohort, team=team, measure=OVERALL).values_list(
                    "count", flat=True
                )
            )
            invited = cohort.participants.filter(team=team).count()
            print(
                f"Seeding {size - before:,} more responses took {seeded_s:.1f} s "
                f"(rows {timings['rows']:.1f} s, "
                f"tallies_rebuild {timings['tallies_rebuild']:.1f} s, "
                f"VACUUM ANALYZE {timings['vacuum_analyze']:.1f} s); "
                f"{seeder.people:,} participants, {ScoreTally.objects.count():,} tally rows; "
                f"{team.name}: {team_n:,} of {invited:,} invited completed."
            )

            # In-process first, with no server running.
            dashboard_ms = in_process(client, dashboard_path, args.repeat)
            hello_ms = in_process(client, hello_path, args.repeat)
            page = client.get(dashboard_path).content.decode()
            if f"{team_n} of {invited} invited have completed." not in page:
                raise BenchError("The dashboard does not show the team's figures")
            queries = query_profile(client, dashboard_path, 20)
            query_count, query_ms = len(queries), sum(ms for ms, _, _ in queries)
            request = RequestFactory().get(dashboard_path)
            request.user, request.session = manager, session
            parts = breakdown(request, team.pk, args.repeat)
            print(
                f"In-process (Django test Client, {args.repeat} requests): dashboard median "
                f"{statistics.median(dashboard_ms):.2f} ms (min {min(dashboard_ms):.2f}, "
                f"max {max(dashboard_ms):.2f}); hello-world median "
                f"{statistics.median(hello_ms):.2f} ms; page {len(page) / 1024:.0f} KB"
            )
            print(
                f"Where the time goes (medians, view functions called directly): aggregates "
                f"(assessments.dashboards.team_dashboard) {parts['aggregates']:.2f} ms, plotly "
                f"figures (presentation.dashboard_figures) {parts['figures']:.2f} ms, the whole "
                f"view with its template {parts['view']:.2f} ms"
            )
            print(
                f"Dashboard queries on one request: {query_count}, {query_ms:.2f} ms in all "
                "(median of 20 requests each, timed around cursor.execute):"
            )
            for ms, sql, _ in queries:
                print(f"  {ms:7.3f} ms  {short_sql(sql)}")
            if args.explain:
                print("EXPLAIN (ANALYZE, BUFFERS) of each query:")
                explain(queries)
            if args.profile:
                profile(client, dashboard_path)
            connections.close_all()

            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log_path = tmp / f"gunicorn-{size}.log"
            server = spawn_gunicorn(
                env, port, log_path, pin=server_pin, extra=["--error-logfile", "-"]
            )
            wait_until_answering(server, base + hello_path, log_path)
            status, body = fetch(base + dashboard_path, cookie)
            if status != 200 or f"{team_n} of {invited} invited have completed." not in body:
                raise BenchError(f"The dashboard answered {status} over HTTP")
            # Hello-world before and after the dashboard, so a change in the
            # machine's load during the run shows up as two different figures.
            runs = {}
            for label, path in (
                ("hello", hello_path),
                ("dashboard", dashboard_path),
                ("hello again", hello_path),
            ):
                wrk(base + path, cookie, 2, load_pin)  # warm up both workers
                load = os.getloadavg()[0]
                runs[label] = wrk(base + path, cookie, args.duration, load_pin)
                runs[label]["load"] = load
            stop_process(server)
            server = None
            hello_rps = (runs["hello"]["rps"] + runs["hello again"]["rps"]) / 2
            share = 100 * runs["dashboard"]["rps"] / hello_rps
            print(
                f"wrk, 1 thread, 4 connections, {args.duration} s each "
                "(load average before each run):"
            )
            for label, run in runs.items():
                print(
                    f"  {label:<11} {run['rps']:8.1f} req/s ({run['requests']:,} requests)  "
                    f"p50 {run['p50']:7.2f} ms  p75 {run['p75']:7.2f}  p90 {run['p90']:7.2f}  "
                    f"p99 {run['p99']:7.2f} ms  (load {run['load']:.2f})"
                )
            print(
                f"  dashboard = {share:.2f}% of hello-world (mean of the two hello-world runs, "
                f"{hello_rps:.1f} req/s)"
            )
            results[size] = {
                "dashboard": runs["dashboard"],
                "hello_rps": hello_rps,
                "share": share,
                "median_ms": statistics.median(dashboard_ms),
                "parts": parts,
                "queries": query_count,
                "query_ms": query_ms,
                "seeded_s": seeded_s,
            }

        print("\n=== Summary ===")
        header = (
            f"{'responses':>10} {'dashboard req/s':>16} {'hello req/s':>12} {'share':>7} "
            f"{'wrk p50 ms':>11} {'in-process ms':>14} {'queries':>8} {'SQL ms':>7} "
            f"{'aggregates ms':>14} {'figures ms':>11}"
        )
        print(header)
        print("-" * len(header))
        for size, row in results.items():
            print(
                f"{size:>10,} {row['dashboard']['rps']:>16.1f} {row['hello_rps']:>12.1f} "
                f"{row['share']:>6.2f}% {row['dashboard']['p50']:>11.2f} "
                f"{row['median_ms']:>14.2f} {row['queries']:>8} {row['query_ms']:>7.2f} "
                f"{row['parts']['aggregates']:>14.2f} {row['parts']['figures']:>11.2f}"
            )
        if 10_000 in results:
            share = results[10_000]["share"]
            print(
                f"Aim: dashboard at least {AIM_SHARE_AT_10K:.0f}% of hello-world at 10,000 "
                f"responses: {share:.2f}% -> {'met' if share >= AIM_SHARE_AT_10K else 'NOT met'}"
            )
        if 1_000 in results and 100_000 in results:
            small, large = results[1_000], results[100_000]
            growth = large["median_ms"] / small["median_ms"]
            wrk_growth = large["dashboard"]["p50"] / small["dashboard"]["p50"]
            rps_ratio = large["dashboard"]["rps"] / small["dashboard"]["rps"]
            print(
                f"100,000 vs 1,000 responses: in-process median x{growth:.2f}, "
                f"wrk p50 x{wrk_growth:.2f}, dashboard req/s x{rps_ratio:.2f}. "
                f"Aim: at most x{AIM_GROWTH_1K_TO_100K:.0f} -> "
                f"{'met' if growth <= AIM_GROWTH_1K_TO_100K else 'NOT met'} (in-process median)"
            )
        print(f"\nRun time: {time.monotonic() - started_all:.0f} s")
        return 0
    except BenchError as error:
        print(f"dashboard benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_process(server)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if created:
            admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
