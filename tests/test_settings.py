"""Settings come from the environment, and production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    run = load_settings(DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="example.org")
    assert run.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in run.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    run = load_settings(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 50)
    assert run.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in run.stderr


def test_production_never_runs_with_debug_on():
    run = load_settings(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_DEBUG="true",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("False ")


def test_the_default_is_sqlite_with_debug_off():
    run = load_settings()
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("False django.db.backends.sqlite3")


def test_database_url_selects_postgresql():
    run = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/spectrum")
    assert "django.db.backends.postgresql" in run.stdout
