"""The periodic jobs: what the scheduler enqueues and when, and what each
does when the task engine runs it."""

from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from crontask import scheduler
from django.contrib.sessions.models import Session
from django.utils import timezone

from assessments import tasks
from assessments.banks import statistics
from assessments.models import StatisticsBlock
from tests.helpers import submitted_result

# The job, and the minute and hour of the cron line that enqueues it.
SCHEDULE = {
    "send_emails": ("*", "*"),
    "send_due_reminders": ("*", "*"),
    "apply_retention": ("23", "*"),
    "clear_expired_sessions": ("17", "*"),
    "form_statistics_blocks": ("41", "*"),
    "prune_task_results": ("5", "4"),
}


def test_the_scheduler_enqueues_every_job_at_its_time():
    jobs = {job.name: job for job in scheduler.get_jobs()}
    for name, (minute, hour) in SCHEDULE.items():
        trigger = jobs[name].trigger
        assert isinstance(trigger, CronTrigger), name
        fields = {field.name: str(field) for field in trigger.fields}
        assert (fields["minute"], fields["hour"]) == (minute, hour), name
        # It enqueues the task for a worker; it runs nothing itself.
        assert jobs[name].func == getattr(tasks, name).enqueue


def test_expired_sessions_are_cleared_and_live_ones_kept(db):
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    tasks.clear_expired_sessions.enqueue()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_full_blocks_of_item_statistics_are_released(bank_version, monkeypatch):
    monkeypatch.setattr(statistics, "BLOCK_SIZE", 3)
    for _ in range(7):
        submitted_result(bank_version, value=lambda item: 1 + item.pk % 5)
    result = tasks.form_statistics_blocks.enqueue()
    assert result.return_value == "Released 2 new blocks."
    assert StatisticsBlock.objects.count() == 2


@pytest.mark.parametrize("name", sorted(SCHEDULE))
def test_each_job_runs_on_an_empty_site(db, name):
    result = getattr(tasks, name).enqueue()
    assert result.status == "SUCCESSFUL", result.errors
