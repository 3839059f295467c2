"""How the HR area scales: a 5,000-row CSV import and a 5,000-person cohort page.

Run on demand: .venv/bin/python bench/hr_scale.py [--database postgres|sqlite] [--people N]

It builds a throwaway database (SQLite in a temporary folder, or a
PostgreSQL database `spectrum_bench` on 127.0.0.1:5432 that it creates and
drops), then prints timings. Nothing here asserts a time: the figures are for
people to read.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database: str, folder: str) -> None:
    if database == "postgres":
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/spectrum_bench"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    if database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS spectrum_bench")
            c.execute("CREATE DATABASE spectrum_bench")
    import django

    django.setup()


def timed(action, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="spectrum-bench-")
    configure(args.database, folder)

    import warnings

    from django.conf import settings

    warnings.filterwarnings("ignore", message="No directory at")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.banks.rules import read_bank_file
    from assessments.banks.services import bank_import
    from assessments.cohorts import participants as participant_services
    from assessments.cohorts import services as cohort_services
    from assessments.models import Attempt
    from assessments.roles import grant_role

    # As in Django's tests: keep one connection across requests, so queries
    # can be counted and connection set-up does not blur the timings.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    call_command("migrate", verbosity=0)
    version, _ = bank_import(data=read_bank_file())
    hr = get_user_model().objects.create_user("bench-hr", "hr@example.com", "bench-password")
    grant_role(hr, "hr_admin")
    cohort = cohort_services.cohort_create(
        name="Bench cohort", bank_version=version, teams=[], created_by=hr
    )
    cohort = cohort_services.cohort_open(cohort=cohort)

    teams = [f"Team {i:02d}" for i in range(20)]
    lines = ["name,email,team"] + [
        f"Person {i},person{i}@example.com,{teams[i % len(teams)]}" for i in range(args.people)
    ]
    data = ("\n".join(lines) + "\n").encode()
    print(f"database: {connection.vendor}; people: {args.people}; CSV: {len(data) / 1024:.0f} KB")

    pending = None

    def preview():
        nonlocal pending
        pending = participant_services.import_preview(
            cohort=cohort, data=data, filename="bench.csv", created_by=hr
        )

    preview_time = timed(preview)[0]
    confirm_time = timed(lambda: participant_services.import_confirm(pending=pending))[0]
    print(f"CSV import: check and preview {preview_time:.2f} s, confirm {confirm_time:.2f} s")

    # Half of them completed, a tenth started: rows made directly, since the
    # completion page reads attempt states only.
    people = list(cohort.participants.order_by("pk"))
    Attempt.objects.bulk_create(
        [
            Attempt(
                bank_version=version,
                participant=person,
                status=Attempt.Status.SUBMITTED if i % 2 == 0 else Attempt.Status.IN_PROGRESS,
            )
            for i, person in enumerate(people)
            if i % 2 == 0 or i % 10 == 1
        ],
        batch_size=1000,
    )

    client = Client()
    client.force_login(hr)
    for name, url in (
        ("cohort list", reverse("hr_cohort_list")),
        ("completion page", reverse("hr_cohort_detail", args=[cohort.pk])),
    ):
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        query_count = len(queries)  # read now: later requests may reset the log
        times = timed(lambda url=url: client.get(url), repeat=20)
        print(
            f"{name}: {query_count} queries, {len(response.content) / 1024:.0f} KB; "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms over 20 requests"
        )

    connection.close()
    if args.database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS spectrum_bench")


if __name__ == "__main__":
    main()
