"""20,000 invitations queued by HR's button and sent by the task engine's
workers through a local SMTP server: the request that queues them, the time
to send them all and the emails per second. Checks that every person got
exactly one email and every email is recorded sent; exits 1 if not.

SQLite by default, or PostgreSQL with --database postgres (a database of its
own, dropped at the end). gunicorn serves the site; the workers are
``manage.py db_worker`` processes; the SMTP sink (bench/smtp_sink.py) runs in
this process and only counts.
"""

import os
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import requests
from report import Options, arguments, machine_load, verdict
from sandbox import ROOT, BenchError, Site, sandbox
from scenario import csrf_token
from servers import start_server, stop_server
from smtp_sink import SmtpSink

OPTIONS: Options = [
    ("--database", ("sqlite", "postgres"), ""),
    ("--people", 20000, "invitations to queue and send"),
    ("--workers", 1, "db_worker processes"),
    ("--database-name", "spectrum_bench_outbox", "with postgres"),
    ("--timeout", 900, "seconds to wait for every email"),
]
PASSWORD = "bench-password-1"  # noqa: S105


def cohort_of(people: int) -> tuple[Any, Any]:
    """An HR admin, and an open cohort of ``people`` in 20 teams, none invited."""
    from inproc import hr_cohort

    from assessments.cohorts.progress import progress_recount
    from assessments.models import Participant

    hr, cohort, teams = hr_cohort([f"Team {i:02d}" for i in range(20)])
    Participant.objects.bulk_create(
        (
            Participant(
                cohort=cohort,
                team=teams[i % len(teams)],
                name=f"Person {i}",
                email=f"person{i}@example.com",
            )
            for i in range(people)
        ),
        batch_size=2000,
    )
    progress_recount(cohort.pk, [team.pk for team in teams])
    return hr, cohort


def queue_by_request(base: str, cohort_id: int) -> float:
    """HR signs in and presses "Send invitations"; the request's seconds."""
    session = requests.Session()
    login = session.get(f"{base}/accounts/login/", timeout=30)
    session.post(
        f"{base}/accounts/login/",
        {"username": "bench-hr", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login)},
        timeout=30,
    )
    page = session.get(f"{base}/hr/cohorts/{cohort_id}/", timeout=30)
    url = f"{base}/hr/cohorts/{cohort_id}/emails/invitations/"
    began = time.perf_counter()
    response = session.post(
        url, {"csrfmiddlewaretoken": csrf_token(page)}, allow_redirects=False, timeout=60
    )
    seconds = time.perf_counter() - began
    if response.status_code != 302 or "/outbox/" not in response.headers.get("Location", ""):
        raise BenchError(f"queuing answered {response.status_code}: {response.text[:300]}")
    return seconds


def start_workers(site: Site, count: int) -> list[subprocess.Popen[bytes]]:
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*"]
    command += ["--no-startup-delay", "--interval", "0.2", "--no-reload"]
    workers = []
    for number in range(count):
        log = (site.tmp / f"worker-{number}.log").open("wb")
        workers.append(subprocess.Popen(command, cwd=ROOT, env=site.env, stdout=log, stderr=log))  # noqa: S603
    return workers


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    with sandbox(args.database_name if args.database == "postgres" else None) as site:
        timings = site.setup()
        print(f"{args.database}: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
        hr, cohort = cohort_of(args.people)
        hr.set_password(PASSWORD)
        hr.save()
        from django.db import connections

        connections.close_all()
        with SmtpSink(log=site.tmp / "sink.log") as sink:
            site.env |= {
                "DJANGO_EMAIL_HOST": "127.0.0.1",
                "DJANGO_EMAIL_PORT": str(sink.port),
                "DJANGO_EMAIL_USE_TLS": "false",
            }
            server = start_server(site, "web", 2, None)
            workers: list[subprocess.Popen[bytes]] = []
            try:
                seconds = queue_by_request(server.base, cohort.pk)
                print(f"\nThe request that queues {args.people} invitations: {seconds:.3f} s")
                began = time.perf_counter()
                workers = start_workers(site, args.workers)
                done = sink.wait_for(args.people, timeout=args.timeout)
                sending = time.perf_counter() - began
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(timeout=60)
                stop_server(server)
            received = Counter(to for to, _ in sink.received())
        from assessments.models import OutboundEmail

        statuses = Counter(
            OutboundEmail.objects.filter(cohort=cohort).values_list("status", flat=True)
        )
        rate = sum(received.values()) / sending
        print(
            f"Sent by {args.workers} worker{'s' if args.workers > 1 else ''}: "
            f"{sum(received.values())} emails in {sending:.1f} s = {rate:.0f} emails/s "
            f"(from the workers' start to the last email at the sink); {machine_load()}"
        )
        problems = []
        if seconds >= 1:
            problems.append(f"the queuing request took {seconds:.2f} s, not under one second")
        if not done:
            problems.append(f"only {sum(received.values())} emails arrived in {args.timeout} s")
        if twice := [to for to, n in received.items() if n > 1]:
            problems.append(f"{len(twice)} people got more than one email, e.g. {twice[0]}")
        if statuses != {"sent": args.people}:
            problems.append(f"emails recorded as {dict(statuses)}")
        return verdict(
            "Checks",
            [f"emails by status: {dict(statuses)}", f"people reached: {len(received)}"],
            problems,
            "every person got exactly one email, each recorded sent",
        )


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
