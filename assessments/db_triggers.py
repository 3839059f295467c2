"""Database triggers that keep published banks and stored results unchanged.

They hold whatever writes to the tables (the admin, a shell, a bulk update),
which a check in Python code would not. SQLite and PostgreSQL need their own
dialects; deleting rows stays possible where people may delete their data.

The SQL lives frozen in the migration-local module that created it,
``assessments/migrations/_triggers_v1.py`` (migrations 0002 and 0003); this
module only re-exports the current version's SQL and messages for reading.
Migrations never import this module (it leaves out the migration helpers on
purpose), so editing it cannot change an old migration. The rule:

* A change to trigger SQL is a new migration with a new frozen module,
  ``_triggers_v2``, holding the full new SQL. The migration drops the old
  triggers with ``_triggers_v1.drop_triggers`` and creates the new ones with
  ``_triggers_v2.create_triggers`` (reversed on unapplying); then this module
  re-exports ``_triggers_v2``. Never edit a ``_triggers_vN`` once a migration
  uses it.
* SQLite rebuilds a table to alter it, and a trigger that names a table being
  rebuilt breaks the rebuild. A migration that alters one of ``FROZEN_TABLES``
  (assessments_item, assessments_bankversion, assessments_attempt,
  assessments_response, assessments_result, assessments_dimensionscore) wraps
  those operations in ``alter_frozen_tables`` imported from the newest
  ``_triggers_vN`` (see 0003), which drops the triggers first and creates them
  after. The tests of frozen rows fail if one forgets.
"""

from assessments.migrations._triggers_v2 import (
    FROZEN_MESSAGE,
    FROZEN_TABLES,
    POSTGRES_BACKWARD,
    POSTGRES_FORWARD,
    SQLITE_BACKWARD,
    SQLITE_FORWARD,
    statements,
)

__all__ = [
    "FROZEN_MESSAGE",
    "FROZEN_TABLES",
    "POSTGRES_BACKWARD",
    "POSTGRES_FORWARD",
    "SQLITE_BACKWARD",
    "SQLITE_FORWARD",
    "statements",
]
