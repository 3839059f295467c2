"""The audit log (docs/audit.md): who did what to whom, and when.

- ``services``: ``audit_record``, the one way an event is written;
- ``decorators``: ``records_names_read``, on the pages that show people's names;
- ``receivers``: staff sign-ins, from Django's signals;
- ``exports``: the log as CSV, for superusers;
- ``triggers``: the SQL that keeps the log append-only, for reading.

The model is ``assessments.models.AuditEvent``. This package imports nothing
at its top: ``assessments.roles`` and the models reach its modules while
they are still being imported themselves.
"""
