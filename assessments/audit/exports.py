"""The audit log as CSV, for superusers (the admin's export action)."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import pgettext

from assessments.cohorts.exports import safe_cell
from assessments.models import AuditEvent

COLUMNS = ["at", "action", "actor_id", "actor_name", "target", "detail", "request_id"]


def headings() -> list[str]:
    """The columns' headings in the reader's language. The cells stay as
    the log keeps them (action codes, targets, ISO times), for searching."""
    return [
        pgettext("audit log column", "at"),
        pgettext("audit log column", "action"),
        pgettext("audit log column", "actor_id"),
        pgettext("audit log column", "actor_name"),
        pgettext("audit log column", "target"),
        pgettext("audit log column", "detail"),
        pgettext("audit log column", "request_id"),
    ]


class _Line:
    """A file for csv.writer that hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def _row(event: AuditEvent) -> list[object]:
    detail = json.dumps(event.detail, sort_keys=True)
    values = [event.at.isoformat(), event.action, event.actor_id, event.actor_name]
    return [safe_cell(value) for value in [*values, event.target, detail, event.request_id]]


def audit_log_csv(events: QuerySet[AuditEvent]) -> Iterable[str]:
    """The events, oldest first, a line at a time: the log can be long, so
    it is read in chunks and streamed rather than held in memory."""
    writer = csv.writer(_Line())
    # Now, in the request's language: the lines are read after the view returns.
    header = writer.writerow(headings())

    def lines() -> Iterator[str]:
        yield header
        for event in events.order_by("at", "pk").iterator(chunk_size=2000):
            yield writer.writerow(_row(event))

    return lines()
