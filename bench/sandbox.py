"""A throw-away copy of the site: settings in a temporary folder and a database of its own
(PostgreSQL, dropped at the end, or SQLite in the folder); Django set up in this process
with the same settings as the gunicorn it serves."""

import io
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
UNSET = ("DJANGO_DEBUG", "DJANGO_ENV", "DJANGO_ALLOWED_HOSTS", "DJANGO_CONN_MAX_AGE")
# Production's settings (CONN_MAX_AGE 60, CONN_HEALTH_CHECKS, sessions in the database)
# with DEBUG off, STATIC_ROOT in the folder, and the project's URLs plus /bench/hello/,
# a view that goes through every middleware and touches no database.
SETTINGS = """from pathlib import Path
from config.settings import *  # noqa: F403
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
STATIC_ROOT = Path(__file__).resolve().parent / "static_root"
ROOT_URLCONF = "bench_urls"
"""
PLAIN_STATIC = """STORAGES = {**STORAGES, "staticfiles": {"BACKEND": \
"django.contrib.staticfiles.storage.StaticFilesStorage"}}  # no manifest needed
"""
URLS = """from django.http import HttpResponse
from django.urls import path
from config import urls as project
urlpatterns = [path("bench/hello/", lambda request: HttpResponse("hello")), *project.urlpatterns]
handler400, handler500 = project.handler400, project.handler500
"""

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """One statement on the server's own database, outside any transaction."""
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


class BenchError(Exception):
    """Something failed to run; the figures would mean nothing."""


class Site:
    def __init__(self, database: str | None, manifest: bool) -> None:
        self.database, self.tmp = database, Path(tempfile.mkdtemp(prefix="bench-"))
        (self.tmp / "bench_settings.py").write_text(SETTINGS + ("" if manifest else PLAIN_STATIC))
        (self.tmp / "bench_urls.py").write_text(URLS)
        (self.tmp / "static_root").mkdir()
        url = f"postgres://postgres@127.0.0.1:5432/{database}"
        self.django = {"DJANGO_SETTINGS_MODULE": "bench_settings", "DJANGO_LOG_LEVEL": "WARNING"}
        self.django["DATABASE_URL"] = url if database else f"sqlite:///{self.tmp}/bench.sqlite3"
        # Every simulated person comes from 127.0.0.1: a limit no run reaches, yet still
        # counted, so the counting's cost is in the figures.
        self.django |= {"DJANGO_LOG_FORMAT": "plain", "DJANGO_RATE_START_PER_CLIENT": "100000000"}
        self.env = {name: value for name, value in os.environ.items() if name not in UNSET}
        path = os.pathsep.join([str(self.tmp), str(ROOT), os.environ.get("PYTHONPATH", "")])
        self.env |= self.django | {"PYTHONPATH": path}

    def setup(self) -> dict[str, float]:
        """Create the database, set Django up, migrate, load the default bank; the timings."""
        began = time.monotonic()
        if self.database:
            admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
            admin(f"CREATE DATABASE {self.database}")
        timings = {"create database": time.monotonic() - began}
        for name in UNSET:
            os.environ.pop(name, None)
        os.environ.update(self.django)
        sys.path[:0] = [str(self.tmp), str(ROOT)]
        import django

        django.setup()
        timings["migrate"] = self.manage("migrate", "--no-input")
        timings["load_default_bank"] = self.manage("load_default_bank")
        return timings

    def manage(self, *args: str) -> float:
        """A management command run in this process; its seconds."""
        from django.core.management import call_command
        from django.db import connections

        began = time.monotonic()
        call_command(*args, verbosity=0, stdout=io.StringIO())
        connections.close_all()
        return time.monotonic() - began


@contextmanager
def sandbox(database: str | None, manifest: bool = False) -> Iterator[Site]:
    """A Site, its folder removed and its database dropped whatever happens."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so a plain `kill` cleans up too
    site = Site(database, manifest)
    try:
        yield site
    finally:
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        shutil.rmtree(site.tmp, ignore_errors=True)
        if database:
            admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            print(f"database {database} dropped")
