"""Real worker processes (``manage.py db_worker``) send real queued
invitations through a local SMTP server, on the database the suite runs on
(SQLite, or PostgreSQL with DATABASE_URL): once each, and exactly once even
when a worker is killed in the middle of a batch."""

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from bench.smtp_sink import SmtpSink
from tests.worker_site import ROOT, WorkerSite, worker_site

# The sink takes this long to say "accepted" after it has the message, so a
# kill lands mostly while the server has an email and the worker does not
# know it yet: the hardest moment.
SLOW_SERVER = 0.02


@pytest.fixture(scope="module")
def sink(tmp_path_factory) -> Iterator[SmtpSink]:
    with SmtpSink(log=tmp_path_factory.mktemp("sink") / "received.log") as server:
        yield server


@pytest.fixture(scope="module")
def site(tmp_path_factory, sink) -> Iterator[WorkerSite]:
    database = settings.DATABASES["default"]
    with worker_site(Path(tmp_path_factory.mktemp("site")), database, sink.port) as made:
        yield made


def sent_to(sink: SmtpSink, cohort_emails: list[dict]) -> Counter:
    """How many messages each of the cohort's addresses received."""
    ours = {email["to"] for email in cohort_emails}
    return Counter(to for to, _ in sink.received() if to in ours)


def test_a_worker_sends_the_queued_invitations_once_each(site, sink):
    cohort = int(site.run("setup", "40"))
    queued = site.report(cohort)["emails"]
    assert {e["status"] for e in queued} == {"queued"}

    # The job HR's button enqueued; --batch: run what is there, then stop.
    site.run("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    report = site.report(cohort)
    assert {(e["status"], e["attempts"]) for e in report["emails"]} == {("sent", 1)}
    assert sent_to(sink, report["emails"]) == Counter({e["to"]: 1 for e in queued})
    assert report["invited"] == 40  # a link that reached someone makes them invited
    # Each message carries its own link and its email's own id.
    ids = {to: message_id for to, message_id in sink.received()}
    for email in report["emails"]:
        assert ids[email["to"]].startswith(f"<outbox-{email['id']}-")


def test_a_worker_killed_mid_batch_and_another_started_send_each_email_exactly_once(site, sink):
    cohort = int(site.run("setup", "150"))
    emails = site.report(cohort)["emails"]
    before = sink.count()
    sink.handler.delay = SLOW_SERVER
    try:
        worker = site.worker("--interval", "0.1")
        try:
            # Mid-batch: the second of three batches of 50 is under way.
            assert sink.wait_for(before + 70, timeout=60), "the worker sent too little"
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        killed_at = sent_to(sink, emails)
        assert 70 <= sum(killed_at.values()) < 150
        assert set(killed_at.values()) == {1}
    finally:
        sink.handler.delay = 0.0

    # Its claim lasts 2 s (DJANGO_OUTBOX_LEASE_SECONDS); the scheduler's next
    # minute enqueues the sending job, and a new worker runs it.
    time.sleep(2.5)
    site.run("tick")
    site.run("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    report = site.report(cohort)
    received = sent_to(sink, emails)
    statuses = Counter(e["status"] for e in report["emails"])
    interrupted = {e["to"] for e in report["emails"] if e["status"] == "interrupted"}
    # Nothing twice.
    assert set(received.values()) == {1}, received.most_common(3)
    # Nothing lost: every email was received, but for at most the one the
    # server had when the worker died, which waits for HR, marked so.
    assert statuses["sent"] + statuses["interrupted"] == 150, statuses
    assert len(interrupted) <= 1
    assert set(received) | interrupted == {e["to"] for e in emails}
    assert {e["to"] for e in report["emails"] if e["status"] == "sent"} <= set(received)


def test_compose_runs_workers_and_one_scheduler_from_the_apps_image():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name, command in (("worker", "db_worker"), ("scheduler", "crontask")):
        service = services[name]
        assert service["image"] == services["app"]["image"], name
        assert command in service["command"], name
        # After the migrations, and reached by nobody.
        assert service["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "ports" not in service and "expose" not in service, name
