"""The audit log's append-only triggers, as the newest migration made them,
for reading (tests, and the browser tests' flush of a SQLite database).

Like ``assessments.db_triggers``: the SQL lives frozen in the migration-local
module that created it, and migrations never import this one.
"""

from assessments.migrations._audit_triggers_v1 import (
    APPEND_ONLY_MESSAGE,
    TABLE,
    statements,
)

__all__ = ["APPEND_ONLY_MESSAGE", "TABLE", "statements"]
