"""Requests timed in-process with Django's test Client (hr_scale.py, dashboard.py)."""

import statistics
import time
from typing import Any

from sandbox import BenchError


def signed_in_client(user: Any) -> Any:
    """A test Client with a session for `user` made in the database, as a sign-in would."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def page_times(client: Any, url: str, repeat: int) -> list[float]:
    """Milliseconds of `repeat` requests, after 5 that warm templates and connections."""
    times = []
    for _ in range(repeat + 5):
        began = time.perf_counter()
        if (status := client.get(url).status_code) != 200:
            raise BenchError(f"{url} answered {status} in-process")
        times.append((time.perf_counter() - began) * 1000)
    return times[5:]


def query_times(client: Any, url: str, repeat: int) -> list[float]:
    """The milliseconds of each query of one request, in order, each the median over
    `repeat` requests, timed around cursor.execute."""
    from django.db import connection

    runs: list[list[float]] = []
    for _ in range(repeat):
        runs.append(run := [])

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                run.append((time.perf_counter() - began) * 1000)  # noqa: B023 - this run's

        with connection.execute_wrapper(timed):
            client.get(url)
    if len({len(run) for run in runs}) != 1:
        raise BenchError(f"{url} made a different number of queries on each request")
    return [statistics.median(times) for times in zip(*runs, strict=True)]
