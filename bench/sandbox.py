"""A throw-away copy of the site: settings in a temporary folder and a database of
its own (PostgreSQL, dropped at the end, or SQLite in the folder). Django runs in
this process with the same settings as the gunicorn it starts."""

from __future__ import annotations

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

import pg

ROOT = Path(__file__).resolve().parents[1]
UNSET = ("DJANGO_DEBUG", "DJANGO_ENV", "DJANGO_ALLOWED_HOSTS", "DJANGO_CONN_MAX_AGE")
SETTINGS = """\
# Written by bench/sandbox.py: the project's settings with DEBUG off (CONN_MAX_AGE 60,
# CONN_HEALTH_CHECKS, sessions in the database), STATIC_ROOT in this folder, and a
# URLconf that adds a hello-world view to compare with.
from pathlib import Path

from config.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
STATIC_ROOT = Path(__file__).resolve().parent / "static_root"
ROOT_URLCONF = "bench_urls"
"""
PLAIN_STATIC = """\
# Plain static storage: no collectstatic manifest is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""
URLS = """\
# Written by bench/sandbox.py: the project's URLs plus /bench/hello/, a view that
# goes through every middleware but touches no database.
from django.http import HttpResponse
from django.urls import path

from config import urls as project


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *project.urlpatterns]
handler400 = project.handler400
handler500 = project.handler500
"""


class BenchError(Exception):
    """Something failed to run; the figures would mean nothing."""


class Site:
    """Settings in a temporary folder, and a database: PostgreSQL `database`, or SQLite."""

    def __init__(self, database: str | None, *, manifest: bool = False) -> None:
        self.database = database
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{database or 'bench'}-"))
        (self.tmp / "bench_settings.py").write_text(SETTINGS + ("" if manifest else PLAIN_STATIC))
        (self.tmp / "bench_urls.py").write_text(URLS)
        sqlite = f"sqlite:///{self.tmp / 'bench.sqlite3'}"
        self.env = {name: value for name, value in os.environ.items() if name not in UNSET}
        self.env.update(
            DJANGO_SETTINGS_MODULE="bench_settings",
            DATABASE_URL=pg.url(database) if database else sqlite,
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_LOG_FORMAT="plain",
            # Every simulated person comes from 127.0.0.1: a limit no run reaches,
            # yet still counted, so the counting's cost is in the figures.
            DJANGO_RATE_START_PER_CLIENT="100000000",
            PYTHONPATH=os.pathsep.join(
                [str(self.tmp), str(ROOT), os.environ.get("PYTHONPATH", "")]
            ),
        )
        self.django_ready = False

    def setup(self) -> dict[str, float]:
        """Create the database, migrate, load the default bank; return timings."""
        began = time.monotonic()
        if self.database:
            pg.create_database(self.database)
        timings = {"create database": time.monotonic() - began}
        self.django()
        for command in (["migrate", "--no-input"], ["load_default_bank"]):
            timings[command[0]] = self.manage(*command)
        return timings

    def manage(self, *args: str) -> float:
        """A management command run in this process; returns its seconds."""
        from django.core.management import call_command
        from django.db import connections

        began = time.monotonic()
        call_command(*args, verbosity=0, stdout=io.StringIO())
        connections.close_all()
        return time.monotonic() - began

    def django(self) -> None:
        """Set Django up in this process with the same settings as gunicorn."""
        if not self.django_ready:
            for name in UNSET:
                os.environ.pop(name, None)
            for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_LOG_LEVEL"):
                os.environ[name] = self.env[name]
            sys.path[:0] = [str(self.tmp), str(ROOT)]
            import django

            django.setup()
            self.django_ready = True

    def close(self, drop: bool = True) -> str:
        if self.django_ready:
            from django.db import connections

            connections.close_all()
        message = ""
        if drop and self.database:
            try:
                pg.drop_database(self.database)
                message = f"database {self.database} dropped"
            except Exception as error:  # noqa: BLE001 - report, never mask the real failure
                message = f"could not drop {self.database}: {error}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        return message


@contextmanager
def sandbox(database: str | None, *, keep: bool = False, manifest: bool = False) -> Iterator[Site]:
    """A Site, closed (database dropped unless `keep`) whatever happens."""
    # A plain `kill` still stops the servers and drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    site = Site(database, manifest=manifest)
    try:
        yield site
    finally:
        print(site.close(drop=not keep))
