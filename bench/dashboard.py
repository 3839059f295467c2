"""Team dashboard throughput against hello-world, at 1,000, 10,000 and 100,000 responses:
one cohort of 10 teams seeded to each size, the dashboard timed in-process with its
queries, then wrk on gunicorn. Prints the figures and the issue's aims, asserts none."""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from inproc import Seeder, hr_cohort, page_times, query_count
from report import Options, arguments
from sandbox import BenchError, Site, sandbox
from servers import start_server, stop_server

OPTIONS: Options = [
    ("--sizes", "1000,10000,100000", "completed responses"),
    ("--duration", 10, "wrk s"),
]
OPTIONS += [("--repeat", 50, "in-process requests"), ("--database-name", "spectrum_dashbench", "")]
AIM_SHARE_AT_10K, AIM_GROWTH_1K_TO_100K = 3.0, 2.0  # the issue's, printed and never asserted
HELLO = "/bench/hello/"
PIN = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None  # gunicorn 1, wrk 0


def wrk(url: str, cookie: str, seconds: int) -> dict[str, float]:
    """One wrk run: requests/s, latency percentiles in ms, the load average before it."""
    command = [*(["taskset", "-c", "0"] if PIN else []), "wrk", "-t1", "-c4", f"-d{seconds}s"]
    command += ["--timeout", "10s", "--latency", "-H", f"Cookie: {cookie}", url]
    figures = {"load": os.getloadavg()[0]}
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout  # noqa: S603
    if "Requests/sec" not in out or "Non-2xx" in out or "Socket errors" in out:
        raise BenchError(f"wrk failed on {url}:\n{out}")
    figures["rps"] = float(re.findall(r"Requests/sec:\s+([\d.]+)", out)[0])
    for percent in ("50", "75", "90", "99"):
        value, unit = re.findall(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)[0]
        figures[f"p{percent}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return figures


def set_up(site: Site) -> tuple[Seeder, Any, str]:
    """The cohort's seeder, a signed-in manager of its first team, the dashboard's URL."""
    began = time.monotonic()
    site.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from assessments.models import TeamManager
    from assessments.roles import grant_role

    _, cohort, teams = hr_cohort([f"Team {i:02d}" for i in range(10)])
    manager = get_user_model().objects.create_user("bench-manager", "m@example.com", "bench-pw-1")
    TeamManager.objects.create(team=teams[0], user=manager)
    grant_role(manager, "manager")
    client = Client()
    client.force_login(manager)
    url = reverse("dashboards:team", args=[teams[0].pk]) + f"?cohort={cohort.pk}"
    print(
        f"Dashboard, {time.strftime('%Y-%m-%d %H:%M')}, {connection.display_name}: "
        f"{'gunicorn on core 1, wrk on core 0' if PIN else 'not pinned'}; set-up "
        f"{time.monotonic() - began:.1f} s; {url} as {teams[0].name}'s manager"
    )
    return Seeder(cohort, teams), client, url


def seed(seeder: Seeder, size: int) -> str:
    """Top the cohort up, recount the tallies, VACUUM ANALYZE (what autovacuum would do to
    fresh tables, so that every run plans alike); the completion line the page must show."""
    from django.db import connection
    from django.db.models import Sum

    from assessments.dashboards import people
    from assessments.dashboards.tallies import tallies_rebuild
    from assessments.models import OVERALL, ScoreTally

    began = time.monotonic()
    seeder.top_up(size)
    seeded = time.monotonic()
    tallies_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    team, tallies = (
        seeder.teams[0],
        ScoreTally.objects.filter(cohort=seeder.cohort, measure=OVERALL),
    )
    if (counted := tallies.aggregate(n=Sum("count"))["n"]) != size:
        raise BenchError(f"The tallies count {counted} responses, not {size}")
    done, invited = (people(seeder.cohort, team)[k] for k in ("completed", "invited"))
    print(
        f"Seeding: rows {seeded - began:.1f} s, tallies_rebuild and VACUUM ANALYZE "
        f"{time.monotonic() - seeded:.1f} s; {team.name}: {done:,} of {invited:,} invited completed"
    )
    return f"{done} of {invited} invited have completed."


def in_process(client: Any, url: str, repeat: int, completion: str) -> dict[str, float]:
    """Django's test Client, before any server runs: medians of `repeat` requests."""
    if completion not in client.get(url).content.decode():
        raise BenchError("The dashboard does not show the team's figures")
    board, hello = page_times(client, url, repeat), page_times(client, HELLO, repeat)
    row = {"in-process ms": statistics.median(board), "queries": query_count(client, url)}
    print(
        f"In-process: dashboard median {row['in-process ms']:.2f} ms (min {min(board):.2f}, max "
        f"{max(board):.2f}), hello-world {statistics.median(hello):.2f}; {row['queries']} queries"
    )
    return row


def over_http(site: Site, client: Any, url: str, seconds: int) -> dict[str, float]:
    """wrk on hello-world, the dashboard and hello-world again (a change in the machine's
    load shows as two different hello figures), each after 2 s of warm-up."""
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    server, runs = start_server(site, "dashboard", 2, "1" if PIN else None), {}
    try:
        for label, path in (("hello", HELLO), ("dashboard", url), ("hello again", HELLO)):
            wrk(server.base + path, cookie, 2)
            runs[label] = wrk(server.base + path, cookie, seconds)
    finally:
        stop_server(server)
    for label, run in runs.items():
        latency = "  ".join(f"p{p} {run[f'p{p}']:6.2f} ms" for p in (50, 75, 90, 99))
        print(
            f"wrk {label:<11} {run['rps']:8.1f} req/s  {latency}  (load before {run['load']:.2f})"
        )
    board, hello = runs["dashboard"], (runs["hello"]["rps"] + runs["hello again"]["rps"]) / 2
    row = {"req/s": board["rps"], "hello req/s": hello, "share %": 100 * board["rps"] / hello}
    return row | {"p50 ms": board["p50"], "p99 ms": board["p99"]}


def summary(rows: dict[int, dict[str, float]]) -> None:
    columns = list(next(iter(rows.values())))
    print("\nresponses | " + " | ".join(columns))
    for size, row in rows.items():
        print(f"{size:,} | " + " | ".join(f"{row[column]:.2f}" for column in columns))
    if share := rows.get(10_000, {}).get("share %"):
        met = "met" if share >= AIM_SHARE_AT_10K else "NOT met"
        print(f"Aim: at least {AIM_SHARE_AT_10K}% of hello-world at 10,000: {share:.2f}%, {met}")
    if 1_000 in rows and 100_000 in rows:
        small, large = rows[1_000], rows[100_000]
        growth, wrk_growth = (large[k] / small[k] for k in ("in-process ms", "p50 ms"))
        met = "met" if growth <= AIM_GROWTH_1K_TO_100K else "NOT met"
        aim = f"at 100,000 at most x{AIM_GROWTH_1K_TO_100K} the time at 1,000"
        print(f"Aim: {aim}: x{growth:.2f} in-process, x{wrk_growth:.2f} wrk p50, {met}")


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    if not shutil.which("wrk"):
        print("Needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    started, rows = time.monotonic(), {}
    with sandbox(args.database_name) as site:
        try:
            seeder, client, url = set_up(site)
            for size in sorted(int(size) for size in args.sizes.replace("_", "").split(",")):
                print(f"\n=== {size:,} completed responses ===")
                completion = seed(seeder, size)
                rows[size] = in_process(client, url, args.repeat, completion)
                rows[size] = over_http(site, client, url, args.duration) | rows[size]
            summary(rows)
            print(f"Run time: {time.monotonic() - started:.0f} s")
            return 0
        except BenchError as error:
            print(f"dashboard failed: {error}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
