"""PostgreSQL on 127.0.0.1:5432 (user postgres, trust), as on every machine of the project."""

import os
import subprocess
import time
from typing import Any

import psycopg

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """One statement on the server's own database, outside any transaction."""
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def drop_database(name: str) -> None:
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def cluster(action: str) -> subprocess.CompletedProcess[str]:
    """`pg_ctlcluster <version> main <action>`: stop, start or restart."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603


def connects() -> bool:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def ensure_running() -> str:
    """Start the cluster if it does not answer; say what was done."""
    if connects():
        return "PostgreSQL answers."
    cluster("start")
    for _ in range(60):
        if connects():
            return "PostgreSQL was down and has been started again."
        time.sleep(1)
    return "PostgreSQL is DOWN and did not start: run pg_ctlcluster ... main start by hand."


def wait_until_quiet(own: str, seconds: float) -> list[str]:
    """Until no other database has had a query or transaction running for 3 s in a row;
    what was busy if that did not happen within `seconds`."""
    deadline, quiet_since, seen = time.monotonic() + seconds, time.monotonic(), []
    while time.monotonic() < deadline:
        busy = admin(
            "SELECT coalesce(datname, '?') || ' (' || state || ')' FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " AND coalesce(datname, '') <> %s AND state <> 'idle'",
            [own],
        )
        if busy:
            quiet_since, seen = time.monotonic(), [name for (name,) in busy]
        elif time.monotonic() - quiet_since >= 3:
            return []
        time.sleep(0.5)
    return seen
