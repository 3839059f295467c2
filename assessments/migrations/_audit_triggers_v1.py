"""The audit log's triggers as migration 0020 created them: every UPDATE and
every DELETE of a row of ``assessments_auditevent`` is refused, on SQLite and
on PostgreSQL, whatever sends it (the admin, a shell, a bulk update).

Frozen like ``_triggers_v1``: never edit the SQL below. A change is a new
migration with a new module, ``_audit_triggers_v2``, which drops these with
``drop_triggers`` from here and creates its own; ``assessments.audit.triggers``
then re-exports the new one.

Why the table is not one of ``_triggers_v2.FROZEN_TABLES``: those are the
tables whose triggers read *other* tables, which SQLite's rebuild of an
altered table breaks, so every migration that alters them must drop and
recreate the triggers around it. These triggers read nothing but the row at
hand, and no other migration alters the audit table, so nothing needs to be
wrapped. But a migration that does alter it, on SQLite, rebuilds it: the old
table goes with its triggers and the new one has none. Such a migration must
create the triggers again after the change (a ``_audit_triggers_v2``, even
with the same SQL), or the log silently stops being append-only there;
``tests/test_audit_log.py`` fails on the migrated test database if it does.

Not refused: TRUNCATE on PostgreSQL, which Django issues only to empty
every table (``manage.py flush``, and the tests' flush between transactional
tests), and which needs the owner's privilege, who could drop the trigger as
well. Anyone with the database is outside what the app can protect
(docs/confidentiality.md).
"""

TABLE = "assessments_auditevent"
APPEND_ONLY_MESSAGE = "The audit log is append-only: its events cannot be changed or deleted."

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END;
    """
    for op in ("UPDATE", "DELETE")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op};" for op in ("update", "delete")]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
    """,
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    raise NotImplementedError(f"No audit log triggers for the {vendor} database.")


def create_triggers(apps, schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)
