"""Structured logs: one JSON object per line, each tied to its request by an id."""

import json
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed in `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

# The id of the request being handled in this thread, set by
# assessments.middleware.RequestId; None outside a request.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Give each record logged while a request is handled that request's id.

    On the handler, so it reaches records of every logger that propagates to it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # null outside a request (start-up, management commands).
            "request_id": getattr(record, "request_id", None),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in {"request", "request_id"}:
                entry[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _atom(atoms: Mapping[str, Any], key: str) -> str | None:
    value = atoms.get(key)
    if value is None or value == "-":
        return None
    # gunicorn escapes double quotes for its own quoted text format; JSON
    # escapes them itself.
    return str(value).replace('\\"', '"')


class AccessJsonFormatter(logging.Formatter):
    """gunicorn's access log line as JSON (gunicorn passes its fields, the
    "atoms", as the record's arguments), with the request id the app put on
    the response, so it matches the app's own lines of that request."""

    def format(self, record: logging.LogRecord) -> str:
        atoms: Mapping[str, Any] = record.args if isinstance(record.args, Mapping) else {}
        status, sent = _atom(atoms, "s"), atoms.get("B")
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": f"{_atom(atoms, 'm')} {_atom(atoms, 'U')} {status}",
            "request_id": _atom(atoms, "{x-request-id}o"),
            "method": _atom(atoms, "m"),
            "path": _atom(atoms, "U"),
            "query": _atom(atoms, "q"),
            "status": int(status) if status and status.isdigit() else status,
            "bytes": sent if isinstance(sent, int) else None,
            "duration_ms": round(atoms["D"] / 1000, 3) if isinstance(atoms.get("D"), int) else None,
            "remote_addr": _atom(atoms, "h"),
            "forwarded_for": _atom(atoms, "{x-forwarded-for}i"),
            "user_agent": _atom(atoms, "a"),
            "referer": _atom(atoms, "f"),
        }
        return json.dumps(entry, ensure_ascii=False)
