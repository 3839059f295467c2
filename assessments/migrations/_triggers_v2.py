"""The frozen-row triggers from migration 0019 on: version 1's, and the same
rule for a scenario's responses (assessments_itemoption), which are part of
their item: they cannot be added, changed or removed once the item's version
is published.

Frozen like ``_triggers_v1``, which it builds on (that module never changes,
so reading its lists here is as frozen as copying them). Never edit the SQL
below: a change is a new migration with a ``_triggers_v3``.

A migration that alters one of ``FROZEN_TABLES`` wraps those operations in
``alter_frozen_tables`` from this module (see ``_triggers_v1`` for why).
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation

from assessments.migrations import _triggers_v1 as v1

FROZEN_TABLES = (*v1.FROZEN_TABLES, "assessments_itemoption")

FROZEN_MESSAGE = v1.FROZEN_MESSAGE

_OPTION_VERSION_STATUS = """(
    SELECT v.status FROM assessments_bankversion v
    JOIN assessments_item i ON i.version_id = v.id
    WHERE i.id = {row}.item_id
)"""

SQLITE_FORWARD = [
    *v1.SQLITE_FORWARD,
    *(
        f"""
        CREATE TRIGGER assessments_itemoption_frozen_{op.lower()}
        BEFORE {op} ON assessments_itemoption
        WHEN {_OPTION_VERSION_STATUS.format(row=row)} != 'draft'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["item"]}'); END;
        """
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
    ),
    f"""
    CREATE TRIGGER assessments_itemoption_frozen_update_target
    BEFORE UPDATE OF item_id ON assessments_itemoption
    WHEN {_OPTION_VERSION_STATUS.format(row="NEW")} != 'draft'
    BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE["item"]}'); END;
    """,
]
SQLITE_BACKWARD = [
    *v1.SQLITE_BACKWARD,
    *(
        f"DROP TRIGGER IF EXISTS assessments_itemoption_frozen_{name};"
        for name in ("insert", "update", "delete", "update_target")
    ),
]

POSTGRES_FORWARD = [
    *v1.POSTGRES_FORWARD,
    f"""
    CREATE FUNCTION assessments_itemoption_frozen() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND {_OPTION_VERSION_STATUS.format(row="OLD")} <> 'draft'
        THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE["item"]}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND {_OPTION_VERSION_STATUS.format(row="NEW")} <> 'draft'
        THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE["item"]}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER assessments_itemoption_frozen BEFORE INSERT OR UPDATE OR DELETE
        ON assessments_itemoption FOR EACH ROW EXECUTE FUNCTION assessments_itemoption_frozen();
    """,
]
POSTGRES_BACKWARD = [
    *v1.POSTGRES_BACKWARD,
    "DROP TRIGGER IF EXISTS assessments_itemoption_frozen ON assessments_itemoption;",
    "DROP FUNCTION IF EXISTS assessments_itemoption_frozen();",
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
    """``operations`` between dropping the triggers and creating them again,
    both ways round on unapplying (see ``_triggers_v1.alter_frozen_tables``)."""
    return [
        migrations.RunPython(drop_triggers, create_triggers),
        *operations,
        migrations.RunPython(create_triggers, drop_triggers),
    ]
