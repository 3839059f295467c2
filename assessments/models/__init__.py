"""The question bank, attempts, answers and results.

Two invariants are enforced by the database itself, by triggers frozen in
``migrations/_triggers_v2.py``, so that no code path, admin page or stray
``QuerySet.update()`` can break them: the items of a published bank version
never change, and a stored result never changes after it is written.
"""

from assessments.models.attempts import (
    Attempt,
    AttemptQuerySet,
    DimensionScore,
    Response,
    Result,
    new_order_seed,
    new_result_token,
)
from assessments.models.audit import AuditEvent
from assessments.models.banks import (
    Bank,
    BankVersion,
    BankVersionQuerySet,
    Dimension,
    Item,
    ItemOption,
    Pole,
    with_options,
)
from assessments.models.cohorts import (
    Cohort,
    CohortQuerySet,
    Participant,
    ParticipantImport,
    ParticipantQuerySet,
    ScheduledReminder,
    TeamProgress,
)
from assessments.models.dashboards import OVERALL, Release, ReleasedMean, ResultShare, ScoreTally
from assessments.models.preferences import Preference
from assessments.models.records import ExportRecord, OutboundEmail
from assessments.models.statistics import StatisticsBlock, StatisticsBlockResult
from assessments.models.teams import ManagerInvitation, Team, TeamManager, TeamQuerySet

__all__ = [
    "Attempt",
    "AttemptQuerySet",
    "AuditEvent",
    "Bank",
    "Cohort",
    "CohortQuerySet",
    "ExportRecord",
    "ManagerInvitation",
    "OutboundEmail",
    "Participant",
    "ParticipantImport",
    "ParticipantQuerySet",
    "ScheduledReminder",
    "Team",
    "TeamManager",
    "TeamProgress",
    "TeamQuerySet",
    "BankVersion",
    "BankVersionQuerySet",
    "Dimension",
    "DimensionScore",
    "Item",
    "ItemOption",
    "Pole",
    "Preference",
    "Response",
    "Result",
    "new_order_seed",
    "new_result_token",
    "OVERALL",
    "Release",
    "ReleasedMean",
    "ResultShare",
    "ScoreTally",
    "StatisticsBlock",
    "StatisticsBlockResult",
    "with_options",
]
