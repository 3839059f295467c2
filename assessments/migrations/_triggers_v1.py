"""The frozen-row triggers as migrations 0002 and 0003 created them.

Frozen here, like ``_tallies_v1``, so that an edit to ``assessments.db_triggers``
never changes what an old migration does. Django's loader skips modules whose
names start with "_". Never edit the SQL below: a change to the triggers is a
new migration with a new module, ``_triggers_v2``, which drops these with
``drop_triggers`` from here and creates its own (see ``db_triggers``).

SQLite rebuilds a table to alter it, and a trigger that names a table being
rebuilt breaks the rebuild. A migration that alters one of ``FROZEN_TABLES``
therefore wraps those operations in ``alter_frozen_tables``::

    from assessments.migrations._triggers_v1 import alter_frozen_tables

    operations = [
        *alter_frozen_tables(
            migrations.AddField(model_name="attempt", name="...", field=...),
        ),
    ]

which drops the triggers before them and creates them again after, both ways
round on unapplying. Import it from the newest ``_triggers_vN`` module, never
from ``db_triggers``. The tests of frozen rows fail if one forgets.
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation

FROZEN_TABLES = (
    "assessments_item",
    "assessments_bankversion",
    "assessments_attempt",
    "assessments_response",
    "assessments_result",
    "assessments_dimensionscore",
)

FROZEN_MESSAGE = {
    "item": "The items of a published bank version cannot be changed; make a new version.",
    "version": "A published bank version cannot go back to draft; make a new version.",
    "response": "The answers of a submitted attempt cannot be changed.",
    "result": "A stored result cannot be changed.",
}

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER assessments_item_frozen_{op.lower()}
    BEFORE {op} ON assessments_item
    WHEN (SELECT status FROM assessments_bankversion WHERE id = {row}.version_id) != 'draft'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["item"]}'); END;
    """
    for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
] + [
    f"""
    CREATE TRIGGER assessments_item_frozen_update_target
    BEFORE UPDATE OF version_id ON assessments_item
    WHEN (SELECT status FROM assessments_bankversion WHERE id = NEW.version_id) != 'draft'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["item"]}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_bankversion_no_redraft
    BEFORE UPDATE OF status ON assessments_bankversion
    WHEN OLD.status != 'draft' AND NEW.status = 'draft'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["version"]}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_response_frozen_insert
    BEFORE INSERT ON assessments_response
    WHEN (SELECT status FROM assessments_attempt WHERE id = NEW.attempt_id) != 'in_progress'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["response"]}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_response_frozen_update
    BEFORE UPDATE ON assessments_response
    WHEN (SELECT status FROM assessments_attempt WHERE id = OLD.attempt_id) != 'in_progress'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["response"]}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_result_frozen
    BEFORE UPDATE ON assessments_result
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["result"]}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_dimensionscore_frozen
    BEFORE UPDATE ON assessments_dimensionscore
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["result"]}'); END;
    """,
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "assessments_item_frozen_insert",
        "assessments_item_frozen_update",
        "assessments_item_frozen_delete",
        "assessments_item_frozen_update_target",
        "assessments_bankversion_no_redraft",
        "assessments_response_frozen_insert",
        "assessments_response_frozen_update",
        "assessments_result_frozen",
        "assessments_dimensionscore_frozen",
    )
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION assessments_item_frozen() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND (
            SELECT status FROM assessments_bankversion WHERE id = OLD.version_id
        ) <> 'draft' THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE["item"]}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND (
            SELECT status FROM assessments_bankversion WHERE id = NEW.version_id
        ) <> 'draft' THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE["item"]}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER assessments_item_frozen BEFORE INSERT OR UPDATE OR DELETE
        ON assessments_item FOR EACH ROW EXECUTE FUNCTION assessments_item_frozen();
    """,
    f"""
    CREATE FUNCTION assessments_bankversion_no_redraft() RETURNS trigger AS $$
    BEGIN
        IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE["version"]}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER assessments_bankversion_no_redraft BEFORE UPDATE ON assessments_bankversion
        FOR EACH ROW EXECUTE FUNCTION assessments_bankversion_no_redraft();
    """,
    f"""
    CREATE FUNCTION assessments_response_frozen() RETURNS trigger AS $$
    BEGIN
        IF (SELECT status FROM assessments_attempt WHERE id = NEW.attempt_id) <> 'in_progress'
        THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE["response"]}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER assessments_response_frozen BEFORE INSERT OR UPDATE ON assessments_response
        FOR EACH ROW EXECUTE FUNCTION assessments_response_frozen();
    """,
    f"""
    CREATE FUNCTION assessments_result_frozen() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{FROZEN_MESSAGE["result"]}' USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER assessments_result_frozen BEFORE UPDATE ON assessments_result
        FOR EACH ROW EXECUTE FUNCTION assessments_result_frozen();
    CREATE TRIGGER assessments_dimensionscore_frozen BEFORE UPDATE ON assessments_dimensionscore
        FOR EACH ROW EXECUTE FUNCTION assessments_result_frozen();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS assessments_item_frozen ON assessments_item;",
    "DROP FUNCTION IF EXISTS assessments_item_frozen();",
    "DROP TRIGGER IF EXISTS assessments_bankversion_no_redraft ON assessments_bankversion;",
    "DROP FUNCTION IF EXISTS assessments_bankversion_no_redraft();",
    "DROP TRIGGER IF EXISTS assessments_response_frozen ON assessments_response;",
    "DROP FUNCTION IF EXISTS assessments_response_frozen();",
    "DROP TRIGGER IF EXISTS assessments_result_frozen ON assessments_result;",
    "DROP TRIGGER IF EXISTS assessments_dimensionscore_frozen ON assessments_dimensionscore;",
    "DROP FUNCTION IF EXISTS assessments_result_frozen();",
]


def statements(vendor: str, forward: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_BACKWARD
    raise NotImplementedError(f"No frozen-row triggers for the {vendor} database.")


def create_triggers(apps, schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql)


def alter_frozen_tables(*operations: Operation) -> list[Operation]:
    """``operations`` between dropping the triggers and creating them again.

    Unapplied, the list runs backwards, so the triggers are dropped before the
    operations are undone and created after. The operations stay ordinary
    entries in the migration, so the recorded state is theirs alone.
    """
    return [
        migrations.RunPython(drop_triggers, create_triggers),
        *operations,
        migrations.RunPython(create_triggers, drop_triggers),
    ]
