"""PostgreSQL on 127.0.0.1:5432 (user postgres, trust), as on every machine of the project."""

from __future__ import annotations

import os
import subprocess
import time
from typing import Any

import psycopg

HOST, PORT = "127.0.0.1", 5432
ADMIN_URL = f"postgresql://postgres@{HOST}:{PORT}/postgres"


def url(database: str) -> str:
    return f"postgres://postgres@{HOST}:{PORT}/{database}"


def admin(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """One statement on the server's own database, outside any transaction."""
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def create_database(name: str) -> None:
    drop_database(name)
    admin(f"CREATE DATABASE {name}")


def drop_database(name: str) -> None:
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def cluster_command(action: str) -> list[str]:
    """`pg_ctlcluster <version> main <action>`: stop, start or restart."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]


def cluster(action: str) -> subprocess.CompletedProcess[str]:
    command = cluster_command(action)
    return subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603


def ready() -> bool:
    command = ["pg_isready", "-h", HOST, "-p", str(PORT), "-t", "2"]
    return subprocess.run(command, capture_output=True).returncode == 0  # noqa: S603


def ensure_running(wait_s: float = 60) -> str:
    """Start the cluster if it does not answer; say what was done."""
    if ready():
        return "PostgreSQL answers (pg_isready)."
    cluster("start")
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if ready():
            return "PostgreSQL was down and has been started again."
        time.sleep(0.5)
    return "PostgreSQL is DOWN and did not start: run pg_ctlcluster ... main start by hand."


def busy_elsewhere(own: str) -> list[str]:
    """Other databases' connections in a query or a transaction right now."""
    rows = admin(
        "SELECT coalesce(datname, '?'), state, count(*) FROM pg_stat_activity"
        " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        " AND coalesce(datname, '') <> %s AND state <> 'idle' GROUP BY 1, 2 ORDER BY 1",
        [own],
    )
    return [f"{name} ({state}) x{count}" for name, state, count in rows]


def wait_until_quiet(own: str, seconds: float) -> tuple[bool, list[str]]:
    """True once no other database has a query or transaction running for 3 s in a row."""
    deadline, quiet_since, seen = time.monotonic() + seconds, None, []
    while time.monotonic() < deadline:
        busy = busy_elsewhere(own)
        if busy:
            seen, quiet_since = busy, None
        elif time.monotonic() - (quiet_since := quiet_since or time.monotonic()) >= 3:
            return True, seen
        time.sleep(0.5)
    return False, seen
