"""Demo data for the README's first command."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessments.models import Cohort, Result
from assessments.roles import is_hr_admin


def test_seed_demo_creates_people_with_histories_once(bank_version, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Result.objects.filter(attempt__user__username="demo").count() == 3
    assert Result.objects.filter(attempt__user__isnull=False).count() == 9
    cohort = Cohort.objects.get()
    assert cohort.participants.count() == 18
    assert Result.objects.filter(attempt__participant__cohort=cohort).count() == 14
    assert is_hr_admin(get_user_model().objects.get(username="hr"))
    manager = get_user_model().objects.get(username="manager")
    assert sorted(manager.managed_teams.values_list("team__name", flat=True)) == [
        "EMEA sales",
        "Platform",
    ]
    dates = list(
        Result.objects.filter(attempt__user__username="demo")
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    assert dates[0] < dates[-1]
    assert "password 'spectrum-demo'" in capsys.readouterr().out


def test_seed_demo_needs_a_bank(db):
    with pytest.raises(CommandError, match="load_default_bank"):
        call_command("seed_demo")
