"""The jobs the task engine runs, and when the scheduler enqueues them.

The engine is Django's tasks framework with django-tasks-db's queue in the
database: ``manage.py db_worker`` runs what is enqueued, one job at a time
per worker, on SQLite or PostgreSQL. ``manage.py crontask`` (django-crontask)
enqueues the periodic jobs below at their times; it reads them from this
module. docs/operations.md says how to run and watch both.

Every job is safe to run twice at once and after a crash: each claims or
locks what it works on, and reads what is due from the database, not from
when it last ran, so a run that was missed is caught up by the next.
"""

import io

from crontask import cron
from django.conf import settings
from django.core.management import call_command
from django.tasks import task, task_backends
from django.utils.module_loading import import_string

from assessments.cohorts import outbox, reminders, retention


@cron("* * * * *")
@task
def send_emails() -> int:
    """Send what is waiting in the outbox (enqueued too as soon as anything
    is queued). Also every minute: retries come due, and the claims of a
    worker that stopped are settled (``outbox.outbox_recover``)."""
    handed, more = outbox.outbox_send()
    if more:
        send_emails.enqueue()  # the rest in the next run, other jobs between
    return handed


@cron("* * * * *")
@task
def send_due_reminders() -> int:
    """Queue the scheduled reminders that have come due; returns how many emails."""
    return reminders.reminders_send_due()


@cron("23 * * * *")
@task
def apply_retention() -> list[int]:
    """Apply the retention rule of every cohort whose time has come."""
    return retention.retention_apply_due()


@cron("17 * * * *")
@task
def clear_expired_sessions() -> None:
    """What ``manage.py clearsessions`` does: sessions past their expiry go."""
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    engine.clear_expired()


@cron("41 * * * *")
@task
def form_statistics_blocks() -> str:
    """Release full blocks of item statistics (``manage.py form_statistics_blocks``)."""
    output = io.StringIO()
    call_command("form_statistics_blocks", stdout=output)
    return output.getvalue().strip()


@cron("5 4 * * *")
@task
def prune_task_results() -> None:
    """Forget finished jobs after a week: the queue table would grow by a
    few thousand rows a day (two jobs a minute) for good."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", min_age_days=7, verbosity=0)
