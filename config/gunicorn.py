"""gunicorn's settings, from the environment.

The image runs ``gunicorn --config python:config.gunicorn config.wsgi``. This
is not a ``gunicorn.conf.py`` at the top of the project on purpose: gunicorn
reads that file from the working directory by itself, and bench/servers.py
starts gunicorn there with settings of its own.

gunicorn's master reads this before it loads the app, so it imports only
the standard library; the formatters it names (config.logging) need nothing
else either.

| variable | gunicorn setting | default |
|---|---|---|
| GUNICORN_BIND | bind | 0.0.0.0:8000 |
| GUNICORN_WORKERS | workers | 2 per CPU this process may use |
| GUNICORN_THREADS | threads (more than 1: gthread workers) | 1 |
| GUNICORN_TIMEOUT | timeout, seconds a request may take | 30 |
| GUNICORN_GRACEFUL_TIMEOUT | graceful_timeout, seconds to finish on a stop | 30 |
| GUNICORN_KEEPALIVE | keepalive, seconds (gthread workers only) | 5 |
| GUNICORN_MAX_REQUESTS | max_requests, then a worker is replaced (0: never) | 1000 |
| GUNICORN_MAX_REQUESTS_JITTER | max_requests_jitter | 100 |
| GUNICORN_LOG_LEVEL | loglevel | info |
| DJANGO_LOG_FORMAT | JSON or plain lines, as the app's | json |
"""

import os


def _whole(name: str, default: int, minimum: int = 0) -> int:
    raw = (os.environ.get(name) or str(default)).strip()
    try:
        number = int(raw)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise SystemExit(f"{name} must be a whole number of at least {minimum}, not {raw!r}.")
    return number


def _cpus() -> int:
    # The CPUs this process may run on (taskset, cpuset), not all the machine's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"  # noqa: S104 (inside a container)
# Two sync workers per CPU did best under load (docs/performance.md): one
# computes while the other waits for PostgreSQL.
workers = _whole("GUNICORN_WORKERS", 2 * _cpus(), minimum=1)
threads = _whole("GUNICORN_THREADS", 1, minimum=1)
timeout = _whole("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _whole("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = _whole("GUNICORN_KEEPALIVE", 5)
# Replacing a worker now and then bounds what a slow leak can take; the
# jitter keeps the workers from all restarting at the same moment.
max_requests = _whole("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _whole("GUNICORN_MAX_REQUESTS_JITTER", 100)
loglevel = (os.environ.get("GUNICORN_LOG_LEVEL") or "info").lower()
if loglevel not in {"debug", "info", "warning", "error", "critical"}:
    raise SystemExit(
        f"GUNICORN_LOG_LEVEL must be debug, info, warning, error or critical, not {loglevel!r}."
    )
# The workers' heartbeat files in memory: a container's overlay disk can
# stall them long enough for the master to kill a healthy worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

_FORMAT = os.environ.get("DJANGO_LOG_FORMAT") or "json"
if _FORMAT not in {"json", "plain"}:
    raise SystemExit(f"DJANGO_LOG_FORMAT must be json or plain, not {_FORMAT!r}.")

# Both logs to the container's output beside the app's lines, one JSON
# object per line like theirs, so a log collector reads them alike. An access
# line carries the request id the app put on the response
# (assessments.middleware.RequestId). The JSON formatter reads gunicorn's
# fields itself; access_log_format is the plain line.
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" forwarded_for=%({x-forwarded-for}i)s '
    "request_id=%({x-request-id}o)s"
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "access_json": {"()": "config.logging.AccessJsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "access_plain": {"format": "%(asctime)s %(message)s"},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": _FORMAT,
            "stream": "ext://sys.stdout",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": f"access_{_FORMAT}",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["error"]},
}
