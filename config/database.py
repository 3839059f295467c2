"""The default database from the environment: a URL, PostgreSQL's parts, or SQLite.

``DATABASE_URL`` is one string, so a password in it must be percent-encoded
(``@`` as ``%40``, ``:`` as ``%3A``, ``/`` as ``%2F``). Compose and most
secret stores hand out the parts instead, so ``POSTGRES_HOST`` with
``POSTGRES_DB``, ``POSTGRES_USER``, ``POSTGRES_PASSWORD`` and ``POSTGRES_PORT``
are used as they are: no URL is assembled, so no character needs quoting.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def _value(environ: Mapping[str, str], name: str, default: str = "") -> str:
    # Unset and empty both mean the default, as in config/settings.py.
    return environ.get(name) or default


def _whole(environ: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = _value(environ, name, str(default)).strip()
    try:
        number = int(raw)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, not {raw!r}."
        )
    return number


def _from_parts(environ: Mapping[str, str]) -> dict[str, Any]:
    user = _value(environ, "POSTGRES_USER", "postgres")
    options: dict[str, Any] = {}
    if sslmode := _value(environ, "POSTGRES_SSLMODE"):
        # Managed PostgreSQL services usually ask for "require" or "verify-full".
        options["sslmode"] = sslmode
    return {
        "ENGINE": POSTGRESQL,
        # The postgres image names the database after the user unless told.
        "NAME": _value(environ, "POSTGRES_DB", user),
        "USER": user,
        "PASSWORD": environ.get("POSTGRES_PASSWORD", ""),
        "HOST": _value(environ, "POSTGRES_HOST"),
        "PORT": _whole(environ, "POSTGRES_PORT", 5432, minimum=1),
        "OPTIONS": options,
    }


def _from_url(url: str) -> dict[str, Any]:
    try:
        config = dict(dj_database_url.parse(url))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL could not be read ({error}); it looks like "
            "postgres://user:password@host:5432/name, with any @ : / in the password "
            "written %40 %3A %2F, or leave it empty and set POSTGRES_HOST and its parts."
        ) from error
    config.setdefault("OPTIONS", {})
    return config


def database(environ: Mapping[str, str], sqlite_path: Path) -> dict[str, Any]:
    """``DATABASES["default"]`` for this environment."""
    url, host = _value(environ, "DATABASE_URL"), _value(environ, "POSTGRES_HOST")
    if url and host:
        raise ImproperlyConfigured(
            "Both DATABASE_URL and POSTGRES_HOST are set; set one of them, so that it is "
            "clear which database the app uses."
        )
    config = _from_parts(environ) if host else _from_url(url or f"sqlite:///{sqlite_path}")
    # Connections last a minute on both engines: a new SQLite connection reads
    # the whole schema (tables, indexes, triggers) on its first query, about
    # 0.7 ms a request; a new PostgreSQL one costs a round trip or three (more
    # with TLS) and a server process.
    config["CONN_MAX_AGE"] = _whole(environ, "DJANGO_CONN_MAX_AGE", 60)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == SQLITE:
        # Take the write lock when a transaction starts and wait for it, so two
        # people submitting at once queue instead of one failing "locked".
        config["OPTIONS"] |= {"transaction_mode": "IMMEDIATE", "timeout": 20}
    pool_size = _whole(environ, "DJANGO_DB_POOL_SIZE", 0)
    if pool_size:
        if config["ENGINE"] != POSTGRESQL:
            raise ImproperlyConfigured(
                "DJANGO_DB_POOL_SIZE pools PostgreSQL connections; with SQLite leave it unset."
            )
        # psycopg's pool, shared by the threads of one process (gunicorn's
        # gthread workers): at most pool_size connections however many
        # threads there are. Django refuses persistent connections beside it.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"]["pool"] = {
            "min_size": min(_whole(environ, "DJANGO_DB_POOL_MIN_SIZE", 1), pool_size),
            "max_size": pool_size,
            # Seconds a request waits for a free connection before it fails
            # (as a clean 503 page).
            "timeout": _whole(environ, "DJANGO_DB_POOL_TIMEOUT", 10, minimum=1),
        }
    if _value(environ, "DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS").lower() in {"1", "true", "yes"}:
        # PgBouncer in transaction mode cannot keep a cursor across transactions.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config
