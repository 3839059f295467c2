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

from crontask import cron
from django.tasks import task

from assessments.cohorts import outbox


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
