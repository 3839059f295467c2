"""Production behaviour: health, clean 503s, sign-in lockout, sessions, headers, logs."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from config.logging import JsonFormatter
from tests.cast import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_the_health_endpoint_answers_when_the_database_does(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_endpoint_says_503_when_the_database_is_down(client, db):
    with mock.patch("assessments.errors.connection.cursor", side_effect=OperationalError):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_a_database_outage_gets_a_clean_503_page(client, db):
    client.raise_request_exception = False
    with mock.patch(
        "assessments.taking.views.BankVersion.objects.current",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = client.get(reverse("taking:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.text
    assert "Traceback" not in response.text


def test_another_error_gets_a_plain_500_page(client, db):
    client.raise_request_exception = False
    with mock.patch(
        "assessments.taking.views.BankVersion.objects.current", side_effect=RuntimeError("bug")
    ):
        response = client.get(reverse("taking:home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "bug" not in response.text


def sign_in(client, password):
    return client.post(reverse("accounts:login"), {"username": "alice", "password": password})


def test_repeated_failed_sign_ins_lock_out_then_cool_off(client, participant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong-password").status_code == 200
    response = sign_in(client, "wrong-password")
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    # Locked out even with the right password...
    assert sign_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...until the cool-off has passed.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)


def test_a_lockout_holds_for_one_username_only(client, participant, settings):
    from tests.cast import make_user

    make_user("bob")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-password")
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302


def test_hr_admins_get_shorter_sessions_than_participants(client, hr_admin, participant, settings):
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "hannah", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE
    assert settings.STAFF_SESSION_AGE < settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    "password",
    ["short1", "password123", "qwertyuiop"],
)
def test_weak_passwords_are_refused_at_sign_up(client, db, password):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "alice", "email": "", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.text


def test_a_long_passphrase_without_symbols_is_accepted(client, db):
    passphrase = "correct horse battery staple " * 4
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newcomer", "email": "", "password1": passphrase, "password2": passphrase},
    )
    assert response.status_code == 302


def test_security_headers_are_sent(client, bank_version):
    client.post(reverse("taking:attempt_start"))
    from assessments.models import Attempt

    response = client.get(reverse("taking:attempt_page", args=[Attempt.objects.get().pk, 1]))
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in response.text
    assert "'unsafe-eval'" not in policy
    assert "'nonce-" in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_finds_nothing_with_the_production_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k3y-" + "x7Qp9L2mZr8Vt4Nw6Ys1Bd5Hf0Jg3Kc" * 2,
        "DJANGO_ALLOWED_HOSTS": "spectrum.example.org",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout


def test_logs_are_one_json_object_per_line():
    record = logging.makeLogRecord(
        {"name": "assessments", "levelname": "WARNING", "msg": "outbox %s", "args": ("late",)}
    )
    record.cohort = 7
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "outbox late"
    assert entry["level"] == "WARNING"
    assert entry["cohort"] == 7
    assert "\n" not in line


def test_each_role_lands_where_its_work_is(client, participant, manager, hr_admin):
    for user, where in (
        ("alice", "accounts:history"),
        ("martin", "dashboards:index"),
        ("hannah", "cohorts:list"),
    ):
        response = client.post(reverse("accounts:login"), {"username": user, "password": PASSWORD})
        assert response.url == reverse(where)
        client.post(reverse("accounts:logout"))
