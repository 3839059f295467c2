"""Writing the audit log: one function, called where each action happens."""

import json
import re
from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

# A module, not its names: roles records its grants through this module,
# and each is imported while the other is still being imported.
from assessments import roles
from assessments.models.audit import AuditEvent
from config.logging import REQUEST_ID

Action = AuditEvent.Action

# What a detail may say: ids, counts, kinds and flags, never what a person
# answered, scored or is called. Keys outside this list, values that are
# not scalars and text with a space or an @ in it are refused, so a name, an
# email address or a list of scores cannot slip in by a careless call.
DETAIL_KEYS = frozenset(
    {
        "attempt_deleted",  # bool: a participant's attempt (and answers) went with them
        "attempts",  # int: how many attempts an account took with it
        "cohort",  # id
        "export",  # kind: cohort_results, own_data, audit_log
        "export_record",  # id of the ExportRecord HR sees
        "format",  # csv, json
        "identified",  # bool: the export names people
        "months",  # int: a retention rule's months after the cohort ended
        "page",  # the URL name of a page of names
        "participants",  # int: how many people a retention run removed
        "result_deleted",  # bool
        "results",  # int
        "retention",  # anonymise, delete
        "role",  # hr_admin, manager, superuser
        "rows",  # int
        "team",  # id
    }
)
_DETAIL_TEXT = re.compile(r"[A-Za-z0-9_.:-]{0,64}")
MAX_DETAIL_CHARS = 500
# kind, or kind:id. An id, never a token: a token is a key to someone's data.
_TARGET = re.compile(r"[a-z_]{1,40}(:[0-9]{1,20})?")


def audit_target(obj: models.Model | str) -> str:
    """``cohort:3`` for a cohort, ``user:7`` for an account."""
    if isinstance(obj, str):
        return obj
    return f"{obj._meta.model_name}:{obj.pk}"


def _checked_detail(detail: Mapping[str, object]) -> dict[str, object]:
    for key, value in detail.items():
        if key not in DETAIL_KEYS:
            raise ValueError(f"{key!r} is not a detail the audit log keeps (DETAIL_KEYS).")
        if isinstance(value, str):
            if not _DETAIL_TEXT.fullmatch(value):
                raise ValueError(f"The audit detail {key!r} is not an id, a count or a kind.")
        elif value is not None and not isinstance(value, int | bool):
            raise ValueError(f"The audit detail {key!r} is not an id, a count or a kind.")
    if len(json.dumps(detail)) > MAX_DETAIL_CHARS:
        raise ValueError("The audit detail is too long.")
    return dict(detail)


def audit_record(
    *,
    action: AuditEvent.Action,
    actor: User | AnonymousUser | None,
    target: models.Model | str = "",
    detail: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Record one action, with who did it, to what, and the request's id.

    Written in the caller's transaction, not after it commits: an action
    that rolls back takes its event with it, and an event that cannot be
    written raises and takes the action with it. No action is left
    unrecorded, which writing on commit would allow (the action committed,
    then the insert failed). Outside a transaction (reading a page) the
    error stops the page, so its names are not shown.

    A staff actor (superuser, HR admin, manager) is kept by id and username,
    so the event says who after the account is gone. Anyone else by id
    alone: a participant who deletes their account leaves no name here.
    """
    person = actor if actor is not None and actor.is_authenticated else None
    target_text = audit_target(target)
    if target_text and not _TARGET.fullmatch(target_text):
        raise ValueError(f"{target_text!r} is not an audit target (kind or kind:id).")
    return AuditEvent.objects.create(
        action=action,
        actor_id=person.pk if person is not None else None,
        actor_name=person.get_username()
        if person is not None and roles.has_staff_role(person)
        else "",
        target=target_text,
        detail=_checked_detail(detail or {}),
        request_id=REQUEST_ID.get() or "",
    )
