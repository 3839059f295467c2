"""Cohorts: creating them, their settings, opening and closing, exports.

Their people are in ``participants``, teams and managers in ``teams``."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.audit.services import Action, audit_record
from assessments.cohorts import exports as cohort_exports
from assessments.cohorts.selectors import cohort_has_answers
from assessments.exceptions import ServiceError
from assessments.models import (
    BankVersion,
    Cohort,
    ExportRecord,
    Team,
)


class CohortError(ServiceError):
    """The action cannot be taken; the message is for the HR admin or participant."""


def require_open_membership(cohort: Cohort) -> Cohort:
    """The cohort as stored now, locked; refused once it is closed."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status == Cohort.Status.CLOSED:
        raise CohortError(_("This cohort is closed: its membership is frozen."))
    return cohort


@transaction.atomic
def cohort_create(
    *,
    name: str,
    bank_version: BankVersion,
    teams: Iterable[Team],
    created_by: User,
    description: str = "",
    opens_at=None,
    closes_at=None,
    min_group_size: int = 5,
    identified: bool = False,
) -> Cohort:
    if bank_version.status != BankVersion.Status.PUBLISHED:
        raise CohortError(_("A cohort needs a published question bank version."))
    if not identified:
        refuse_unapproved_bank(bank_version)
    cohort = Cohort.objects.create(
        name=name,
        description=description,
        bank_version=bank_version,
        opens_at=opens_at,
        closes_at=closes_at,
        min_group_size=min_group_size,
        identified=identified,
        created_by=created_by,
    )
    cohort.teams.set(teams)
    return cohort


def unapproved_bank_message(version: BankVersion) -> str:
    return _(
        "Version %(number)s of %(bank)s was written by your organisation, and no second HR "
        "admin has approved it for pseudonymised cohorts yet: whoever writes the statements "
        "could write them to single people out. Ask another HR admin to read it and approve "
        "it on the version's page, or make this cohort identified."
    ) % {"number": version.number, "bank": version.bank.name}


def refuse_unapproved_bank(version: BankVersion) -> None:
    """A pseudonymised cohort uses only versions that came with the product
    or that a second HR admin approved (docs/confidentiality.md, rule 10)."""
    if not version.confidential_use:
        raise CohortError(unapproved_bank_message(version))


def _refuse_settled_changes(cohort: Cohort, fields: dict[str, Any]) -> None:
    """Nobody's answers may be reinterpreted: whether a cohort is identified
    is chosen when it is created, and once anyone has started, the bank
    version and the minimum group size are fixed."""
    if fields.get("identified", cohort.identified) != cohort.identified:
        raise CohortError(
            _(
                "A cohort cannot become identified after it was created: participants were "
                "told their scores would not be tied to their names."
            )
        )
    changes = {
        key
        for key in ("bank_version", "min_group_size")
        if key in fields and fields[key] != getattr(cohort, key)
    }
    if not changes or not cohort_has_answers(cohort):
        return
    if "bank_version" in changes:
        raise CohortError(
            _("People have started answering: the question bank can no longer change.")
        )
    # Lowering the minimum would break the promise made to those who
    # answered; raising it would re-draw which figures are shown, and a
    # reading before and after could then be subtracted to isolate someone.
    raise CohortError(
        _(
            "People have started answering, so the minimum group size is fixed at "
            "%(size)s: changing it now could let earlier and later figures be compared to "
            "single someone out."
        )
        % {"size": cohort.min_group_size}
    )


@transaction.atomic
def cohort_update(*, cohort: Cohort, teams: Iterable[Team], **fields: Any) -> Cohort:
    """Change a cohort's settings (the form only shows what is settled)."""
    cohort = require_open_membership(cohort)
    _refuse_settled_changes(cohort, fields)
    if fields.get("bank_version") and fields["bank_version"].status != BankVersion.Status.PUBLISHED:
        raise CohortError(_("A cohort needs a published question bank version."))
    if fields.get("bank_version") not in (None, cohort.bank_version) and not cohort.identified:
        refuse_unapproved_bank(fields["bank_version"])
    for key, value in fields.items():
        setattr(cohort, key, value)
    cohort.figures_version += 1  # its teams or minimum may have changed
    cohort.save()
    teams = list(teams)
    dropped = cohort.teams.exclude(pk__in=[team.pk for team in teams])
    if cohort.participants.filter(team__in=dropped).exists():
        raise CohortError(
            _(
                "A team with people in this cohort cannot be taken off it; their answers count "
                "towards the cohort's figures."
            )
        )
    cohort.teams.set(teams)
    return cohort


@transaction.atomic
def cohort_open(*, cohort: Cohort) -> Cohort:
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.DRAFT:
        raise CohortError(_("Only a draft cohort can be opened."))
    cohort.status = Cohort.Status.OPEN
    cohort.save(update_fields=["status"])
    return cohort


@transaction.atomic
def cohort_close(*, cohort: Cohort) -> Cohort:
    """Close a cohort: links stop working, membership and results are frozen."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status == Cohort.Status.CLOSED:
        return cohort
    cohort.status = Cohort.Status.CLOSED
    cohort.closed_at = timezone.now()
    cohort.join_enabled = False
    cohort.save(update_fields=["status", "closed_at", "join_enabled"])
    return cohort


@transaction.atomic
def cohort_join_link_set(*, cohort: Cohort, enabled: bool) -> Cohort:
    cohort = require_open_membership(cohort)
    cohort.join_enabled = enabled
    cohort.save(update_fields=["join_enabled"])
    return cohort


@transaction.atomic
def cohort_results_export(
    *, cohort: Cohort, user: User, fmt: str
) -> tuple[list[str], list[dict[str, Any]]]:
    """A cohort's export (see cohort_exports.export_rows), recorded with who
    made it, when, and how many rows it held: for HR in ExportRecord, and in
    the audit log, which keeps it after the cohort is deleted and cannot be
    changed (the event names the record)."""
    columns, rows = cohort_exports.export_rows(cohort)
    record = ExportRecord.objects.create(
        cohort=cohort, user=user, format=fmt, identified=cohort.identified, row_count=len(rows)
    )
    audit_record(action=Action.EXPORTED, actor=user, target=cohort, detail=_export_detail(record))
    return columns, rows


def _export_detail(record: ExportRecord) -> dict[str, object]:
    return {
        "export": "cohort_results",
        "export_record": record.pk,
        "format": record.format,
        "identified": record.identified,
        "rows": record.row_count,
    }
