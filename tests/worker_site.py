"""A site of its own for tests/test_worker.py: a fresh database (SQLite in a
temporary folder, or a PostgreSQL database dropped at the end) that worker
processes and this module's commands share, with production's settings
and mail going to an SMTP sink.

The test's own database cannot be used: on SQLite it lives in the test
process's memory, where no worker process can reach it.

Run as ``python -m tests.worker_site COMMAND`` with the site's environment:
``setup PEOPLE`` makes an open cohort of PEOPLE people and queues their
invitations as HR's button does (printing the cohort's id); ``tick``
enqueues the sending job, as the scheduler does every minute; ``report
COHORT`` prints every email's address, status and tries as JSON.
"""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class WorkerSite:
    env: dict[str, str]
    folder: Path

    def run(self, *args: str, timeout: float = 120) -> str:
        """A command of this module or ``manage.py``, to its end; its output."""
        runner = ["-m", "tests.worker_site"] if args[0] in COMMANDS else ["manage.py"]
        command = [sys.executable, *runner, *args]
        done = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            failed = f"{' '.join(args)} exited {done.returncode}"
            raise AssertionError(f"{failed}:\n{done.stderr[-3000:]}")
        return done.stdout

    def worker(self, *options: str) -> subprocess.Popen[bytes]:
        """``manage.py db_worker`` in the background; its output in the folder."""
        log = (self.folder / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb")
        command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", *options]
        return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)  # noqa: S603

    def report(self, cohort_id: int) -> dict:
        return json.loads(self.run("report", str(cohort_id)))


def _admin_sql(database: dict, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as connection:
        connection.execute(sql)


@contextmanager
def worker_site(folder: Path, database: dict, smtp_port: int) -> Iterator[WorkerSite]:
    """A migrated site with the default bank, on the engine of ``database``
    (the test suite's settings), its mail going to 127.0.0.1:``smtp_port``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "POSTGRES_"))}
    env.pop("DATABASE_URL", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "DJANGO_EMAIL_USE_TLS": "false",
        # A claim of a worker that died is taken over after 2 s, not 2 minutes.
        "DJANGO_OUTBOX_LEASE_SECONDS": "2",
        "DJANGO_LOG_FORMAT": "plain",
        "PYTHONPATH": str(ROOT),
    }
    name = ""
    if database["ENGINE"].endswith("postgresql"):
        name = f"spectrum_worker_{uuid.uuid4().hex[:10]}"
        _admin_sql(database, f"CREATE DATABASE {name}")
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        host = database["HOST"] or "127.0.0.1"
        port = database["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{quote(database['USER'])}{password}@{host}:{port}/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'site.sqlite3'}"
    site = WorkerSite(env, folder)
    try:
        site.run("migrate", "--no-input", "-v0")
        site.run("load_default_bank")
        yield site
    finally:
        if name:
            _admin_sql(database, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# The commands, run inside the site ------------------------------------------------


def setup(people: int) -> None:
    from assessments.cohorts import outbox
    from assessments.cohorts import services as cohort_services
    from assessments.cohorts.progress import progress_recount
    from assessments.models import BankVersion, Participant, Team
    from tests.cast import make_user

    hr = make_user(f"hr-{uuid.uuid4().hex[:6]}", "hr_admin")
    team = Team.objects.create(name=f"Team {uuid.uuid4().hex[:6]}")
    version = BankVersion.objects.published().order_by("pk").first()
    assert version is not None
    cohort = cohort_services.cohort_create(
        name="Worker test", bank_version=version, teams=[team], created_by=hr
    )
    cohort = cohort_services.cohort_open(cohort=cohort)
    Participant.objects.bulk_create(
        Participant(cohort=cohort, team=team, name=f"P {i}", email=f"p{i}.{cohort.pk}@example.com")
        for i in range(people)
    )
    progress_recount(cohort.pk, [team.pk])
    # As HR's button does; the sending job is enqueued when this commits.
    outbox.emails_queue(
        cohort=cohort,
        kind="invitation",
        queued_by=hr,
        link_for=lambda p: f"http://testserver/invite/{p.token}/",
    )
    print(cohort.pk)


def tick() -> None:
    from assessments.tasks import send_emails

    send_emails.enqueue()


def report(cohort_id: int) -> None:
    from django.db.models import Sum

    from assessments.models import OutboundEmail, TeamProgress

    emails = OutboundEmail.objects.filter(cohort_id=cohort_id).order_by("pk")
    invited = TeamProgress.objects.filter(cohort_id=cohort_id).aggregate(n=Sum("invited"))["n"]
    rows = [
        {"to": e.to, "status": e.status, "attempts": e.attempts, "id": e.pk, "body": e.body}
        for e in emails
    ]
    print(json.dumps({"emails": rows, "invited": invited}))


COMMANDS = {"setup": setup, "tick": tick, "report": report}


if __name__ == "__main__":
    import django

    django.setup()
    command, *args = sys.argv[1:]
    COMMANDS[command](*map(int, args))  # type: ignore[operator]
