"""Cohorts, their participants, and the teams and managers around them."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from assessments.cohorts import csv_import
from assessments.cohorts import exports as cohort_exports
from assessments.dashboards.tallies import counted, result_scores, tallies_add
from assessments.exceptions import ServiceError
from assessments.models import (
    Attempt,
    BankVersion,
    Cohort,
    ExportRecord,
    ManagerInvitation,
    Participant,
    ParticipantImport,
    Result,
    Team,
    TeamManager,
)
from assessments.roles import grant_role
from assessments.taking.services import AttemptError

MANAGER_INVITATION_LIFETIME = timedelta(days=14)


class CohortError(ServiceError):
    """The action cannot be taken; the message is for the HR admin or participant."""


def _require_open_membership(cohort: Cohort) -> Cohort:
    """The cohort as stored now, locked; refused once it is closed."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status == Cohort.Status.CLOSED:
        raise CohortError("This cohort is closed: its membership is frozen.")
    return cohort


def teams_get_or_create(names: Iterable[str]) -> list[Team]:
    """Teams by name, matching existing ones whatever their case."""
    wanted = {name.strip().lower(): name.strip() for name in names if name.strip()}
    existing = {
        team.name.lower(): team
        for team in Team.objects.annotate(key=Lower("name")).filter(key__in=wanted)
    }
    created = [Team(name=name) for key, name in wanted.items() if key not in existing]
    Team.objects.bulk_create(created)
    return [*existing.values(), *created]


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
        raise CohortError("A cohort needs a published question bank version.")
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


def cohort_has_answers(cohort: Cohort) -> bool:
    return Attempt.objects.filter(participant__cohort=cohort).exists()


@transaction.atomic
def cohort_update(*, cohort: Cohort, teams: Iterable[Team], **fields: Any) -> Cohort:
    """Change a cohort's settings. Nobody's answers may be reinterpreted:
    the bank version is fixed once anyone has started, and whether a cohort
    is identified is chosen when it is created, never after (the form only
    shows it)."""
    cohort = _require_open_membership(cohort)
    if fields.get("identified", cohort.identified) != cohort.identified:
        raise CohortError(
            "A cohort cannot become identified after it was created: participants were "
            "told their scores would not be tied to their names."
        )
    if (
        "bank_version" in fields
        and fields["bank_version"] != cohort.bank_version
        and cohort_has_answers(cohort)
    ):
        raise CohortError("People have started answering: the question bank can no longer change.")
    if fields.get(
        "min_group_size", cohort.min_group_size
    ) != cohort.min_group_size and cohort_has_answers(cohort):
        # Lowering it would break the promise made to those who answered;
        # raising it would re-draw which figures are shown, and a reading
        # before and after could then be subtracted to isolate someone.
        raise CohortError(
            "People have started answering, so the minimum group size is fixed at "
            f"{cohort.min_group_size}: changing it now could let earlier and later figures "
            "be compared to single someone out."
        )
    if fields.get("bank_version") and fields["bank_version"].status != BankVersion.Status.PUBLISHED:
        raise CohortError("A cohort needs a published question bank version.")
    for key, value in fields.items():
        setattr(cohort, key, value)
    cohort.figures_version += 1  # its teams or minimum may have changed
    cohort.save()
    teams = list(teams)
    dropped = cohort.teams.exclude(pk__in=[team.pk for team in teams])
    if cohort.participants.filter(team__in=dropped).exists():
        raise CohortError(
            "A team with people in this cohort cannot be taken off it; their answers count "
            "towards the cohort's figures."
        )
    cohort.teams.set(teams)
    return cohort


@transaction.atomic
def cohort_open(*, cohort: Cohort) -> Cohort:
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.DRAFT:
        raise CohortError("Only a draft cohort can be opened.")
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
    cohort = _require_open_membership(cohort)
    cohort.join_enabled = enabled
    cohort.save(update_fields=["join_enabled"])
    return cohort


def _email_taken(cohort: Cohort, email: str) -> bool:
    return cohort.participants.annotate(key=Lower("email")).filter(key=email.lower()).exists()


def manager_emails(team: Team) -> set[str]:
    """The email addresses of the team's managers, lower-cased."""
    return {
        email.lower()
        for email in TeamManager.objects.filter(team=team).values_list("user__email", flat=True)
        if email
    }


def _require_not_manager(team: Team, emails: Iterable[str]) -> None:
    """A manager reads their team's figures, so they may not add answers to
    them: their own answers subtracted from the figures would describe the rest."""
    managers = manager_emails(team) & {email.lower() for email in emails}
    if managers:
        raise CohortError(
            f"{', '.join(sorted(managers))} manages {team.name}, and a manager cannot take part "
            "in a team whose figures they read. Put them in another team."
        )


@transaction.atomic
def participant_add(
    *,
    cohort: Cohort,
    name: str,
    email: str,
    team: Team,
    source: str = Participant.Source.MANUAL,
    team_confirmed: bool = True,
) -> Participant:
    cohort = _require_open_membership(cohort)
    if _email_taken(cohort, email):
        raise CohortError(f"{email} is already in this cohort.")
    _require_not_manager(team, [email])
    cohort.teams.add(team)
    try:
        with transaction.atomic():
            return Participant.objects.create(
                cohort=cohort,
                team=team,
                name=name.strip(),
                email=email.lower(),
                source=source,
                team_confirmed=team_confirmed,
            )
    except IntegrityError as error:  # a concurrent add of the same email
        raise CohortError(f"{email} is already in this cohort.") from error


@transaction.atomic
def participant_join(*, cohort: Cohort, name: str, email: str, team: Team) -> Participant:
    """Someone joins through the cohort's open join link; if the email is in
    the cohort already, that person is returned, so the caller can send them
    their own link without telling the page who is a member."""
    if not (cohort.join_enabled and cohort.is_accepting()):
        raise CohortError("This join link is not open.")
    if not cohort.teams.filter(pk=team.pk).exists():
        raise CohortError("Choose one of the teams taking part.")
    existing = cohort.participants.annotate(key=Lower("email")).filter(key=email.lower()).first()
    if existing is not None:
        return existing
    # Anyone with the link can name any team, so the team counts only once
    # an HR admin has confirmed it (participant_team_confirm).
    return participant_add(
        cohort=cohort,
        name=name,
        email=email,
        team=team,
        source=Participant.Source.JOIN,
        team_confirmed=False,
    )


@transaction.atomic
def participant_team_confirm(*, participant: Participant) -> Participant:
    """HR confirms that a person who came through the join link belongs to
    the team they chose; a result they already have then counts for it."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.withdrawn_at is not None:
        raise CohortError("This person deleted their data: there is no team to confirm.")
    if participant.team_confirmed:
        return participant
    _require_open_membership(participant.cohort)
    _require_not_manager(participant.team, [participant.email])
    participant.team_confirmed = True
    participant.save(update_fields=["team_confirmed"])
    result = Result.objects.filter(attempt__participant=participant).first()
    if result is not None and counted(participant):
        tallies_add(
            cohort_id=participant.cohort_id,
            team_id=participant.team_id,
            scores=result_scores(result),
        )
    return participant


def participant_attempt(*, participant: Participant) -> Attempt:
    """The attempt of an invited person, started on first use of their link."""
    with transaction.atomic():
        # Locked against a cohort closing at the same moment.
        cohort = Cohort.objects.select_for_update().get(pk=participant.cohort_id)
        if not cohort.is_accepting():
            raise AttemptError("This cohort is not taking answers.")
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        existing = Attempt.objects.filter(participant=participant).first()
        if existing is not None:
            return existing
        return Attempt.objects.create(bank_version=cohort.bank_version, participant=participant)


@transaction.atomic
def import_preview(
    *, cohort: Cohort, data: bytes, filename: str, created_by: User
) -> ParticipantImport:
    """Check an uploaded CSV and keep it for confirmation; no participant is added."""
    cohort = _require_open_membership(cohort)
    text = csv_import.decode(data)
    existing_emails = {
        email.lower() for email in cohort.participants.values_list("email", flat=True)
    }
    existing_teams = {name.lower(): name for name in Team.objects.values_list("name", flat=True)}
    parsed = csv_import.parse(text, existing_emails=existing_emails, existing_teams=existing_teams)
    return ParticipantImport.objects.create(
        cohort=cohort,
        created_by=created_by,
        filename=filename[:255],
        rows=[[row.line, row.name, row.email, row.team] for row in parsed.rows],
        rejected=[[item.line, item.reason, list(item.values)] for item in parsed.rejected],
        new_teams=parsed.new_teams,
    )


@transaction.atomic
def import_confirm(*, pending: ParticipantImport) -> int:
    """Add every valid row of a previewed import, or none of them."""
    pending = ParticipantImport.objects.select_for_update().get(pk=pending.pk)
    if pending.status != ParticipantImport.Status.PENDING:
        raise CohortError("This import was already confirmed or cancelled.")
    cohort = _require_open_membership(pending.cohort)
    emails = [email for _, _, email, _ in pending.rows]
    clash = (
        cohort.participants.annotate(key=Lower("email"))
        .filter(key__in=emails)
        .values_list("email", flat=True)[:5]
    )
    if clash:
        raise CohortError(
            "Some people were added to the cohort after this file was checked "
            f"({', '.join(clash)}). Upload the file again."
        )
    teams = {team.name.lower(): team for team in teams_get_or_create(t for *_, t in pending.rows)}
    for team in teams.values():
        _require_not_manager(
            team, [email for *_, email, t in pending.rows if t.lower() == team.name.lower()]
        )
    cohort.teams.add(*teams.values())
    Participant.objects.bulk_create(
        Participant(
            cohort=cohort,
            team=teams[team.lower()],
            name=name,
            email=email,
            source=Participant.Source.CSV,
        )
        for _, name, email, team in pending.rows
    )
    pending.status = ParticipantImport.Status.APPLIED
    pending.save(update_fields=["status"])
    return len(pending.rows)


@transaction.atomic
def import_cancel(*, pending: ParticipantImport) -> None:
    ParticipantImport.objects.filter(pk=pending.pk, status=ParticipantImport.Status.PENDING).update(
        status=ParticipantImport.Status.CANCELLED
    )


@transaction.atomic
def team_manager_add(*, team: Team, user: User) -> TeamManager:
    """Give a person a team's dashboards, unless they are one of its participants."""
    member = Participant.objects.filter(team=team).filter(
        Q(attempt__user=user) | (Q(email__iexact=user.email) if user.email else Q(pk__in=[]))
    )
    if member.exists():
        raise CohortError(
            f"{user} takes part in {team.name} in a cohort, and a manager cannot read the "
            "figures of a team their own answers are in. Choose another manager."
        )
    grant_role(user, "manager")
    manager, _ = TeamManager.objects.get_or_create(team=team, user=user)
    return manager


@transaction.atomic
def team_manager_remove(*, team: Team, user: User) -> None:
    TeamManager.objects.filter(team=team, user=user).delete()


def manager_invitation_create(*, team: Team, email: str, invited_by: User) -> ManagerInvitation:
    """An invitation to manage a team, for whoever signs in with its link.
    Always by an emailed link: an account's email address is not verified,
    so matching it would hand the role to whoever typed it."""
    return ManagerInvitation.objects.create(team=team, email=email, invited_by=invited_by)


@transaction.atomic
def cohort_results_export(
    *, cohort: Cohort, user: User, fmt: str
) -> tuple[list[str], list[dict[str, Any]]]:
    """A cohort's export (see cohort_exports.export_rows), recorded with who
    made it, when, and how many rows it held."""
    columns, rows = cohort_exports.export_rows(cohort)
    ExportRecord.objects.create(
        cohort=cohort, user=user, format=fmt, identified=cohort.identified, row_count=len(rows)
    )
    return columns, rows


@transaction.atomic
def manager_invitation_accept(*, invitation: ManagerInvitation, user: User) -> TeamManager:
    invitation = ManagerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise CohortError("This invitation was already used. Ask your HR team for a new one.")
    if invitation.created_at < timezone.now() - MANAGER_INVITATION_LIFETIME:
        raise CohortError("This invitation has expired. Ask your HR team for a new one.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return team_manager_add(team=invitation.team, user=user)
