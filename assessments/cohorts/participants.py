"""The people of a cohort: added by HR, imported from CSV, or joining by the
open link; their team confirmed; their attempt started."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from assessments.audit.services import Action, audit_record
from assessments.cohorts import csv_import
from assessments.cohorts.progress import progress_recount
from assessments.cohorts.selectors import manager_emails, removal_refusal
from assessments.cohorts.services import CohortError, require_open_membership
from assessments.cohorts.teams import teams_get_or_create
from assessments.dashboards.tallies import counted, result_scores, tallies_add
from assessments.models import (
    Attempt,
    Cohort,
    OutboundEmail,
    Participant,
    ParticipantImport,
    Result,
    Team,
    new_order_seed,
)
from assessments.taking.services import AttemptError

logger = logging.getLogger(__name__)


def _email_taken(cohort: Cohort, email: str) -> bool:
    return cohort.participants.annotate(key=Lower("email")).filter(key=email.lower()).exists()


def _require_not_manager(team: Team, emails: Iterable[str]) -> None:
    """A manager reads their team's figures, so they may not add answers to
    them: their own answers subtracted from the figures would describe the rest."""
    managers = manager_emails(team) & {email.lower() for email in emails}
    if managers:
        raise CohortError(
            _(
                "%(emails)s manages %(team)s, and a manager cannot take part in a team whose "
                "figures they read. Put them in another team."
            )
            % {"emails": ", ".join(sorted(managers)), "team": team.name}
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
    language: str = "",
) -> Participant:
    """Add someone to the cohort; ``language`` is that of their emails, empty
    for the organisation's."""
    cohort = require_open_membership(cohort)
    if _email_taken(cohort, email):
        raise CohortError(_("%(email)s is already in this cohort.") % {"email": email})
    _require_not_manager(team, [email])
    cohort.teams.add(team)
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                cohort=cohort,
                team=team,
                name=name.strip(),
                email=email.lower(),
                source=source,
                team_confirmed=team_confirmed,
                language=language,
            )
    except IntegrityError as error:  # a concurrent add of the same email
        raise CohortError(_("%(email)s is already in this cohort.") % {"email": email}) from error
    progress_recount(cohort.pk, [team.pk])
    return participant


@transaction.atomic
def participant_join(
    *, cohort: Cohort, name: str, email: str, team: Team, language: str = ""
) -> Participant:
    """Someone joins through the cohort's open join link; if the email is in
    the cohort already, that person is returned, so the caller can send them
    their own link without telling the page who is a member."""
    if not (cohort.join_enabled and cohort.is_accepting()):
        raise CohortError(_("This join link is not open."))
    if not cohort.teams.filter(pk=team.pk).exists():
        raise CohortError(_("Choose one of the teams taking part."))
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
        language=language,
    )


@transaction.atomic
def participant_team_confirm(*, participant: Participant) -> Participant:
    """HR confirms that a person who came through the join link belongs to
    the team they chose; a result they already have then counts for it."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.withdrawn_at is not None:
        raise CohortError(_("This person deleted their data: there is no team to confirm."))
    if participant.team_confirmed:
        return participant
    require_open_membership(participant.cohort)
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


@transaction.atomic
def participant_remove(*, participant: Participant, removed_by: User) -> None:
    """Take someone out of a cohort before they have started: added by
    mistake, or twice under two addresses.

    Only a person without an attempt: they are in no tally and no figure,
    so nothing anyone reads changes but the number of people, and
    ``cohort_has_answers`` (which fixes the minimum group size) does not
    change either. Not someone who deleted their data: their row stays so
    that their link can say what happened, and it is part of that record.

    Nothing else is deleted but emails to them still waiting in the outbox,
    which would carry a link that no longer works; the record of emails sent
    stays, no longer tied to anyone in the cohort.
    """
    # The cohort's lock first, as starting an attempt takes it: a start
    # racing this removal lands either before it (and refuses it) or after.
    cohort = require_open_membership(participant.cohort)
    found = Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if found is None:  # removed by someone else a moment ago
        raise CohortError(
            _("%(person)s is no longer in this cohort.") % {"person": participant.name}
        )
    participant = found
    refusal = removal_refusal(participant, cohort)
    if refusal is not None:
        raise CohortError(refusal)
    emails = OutboundEmail.objects.filter(participant=participant)
    emails.filter(status=OutboundEmail.Status.QUEUED).delete()
    emails.update(participant=None)
    logger.info(
        "participant removed from cohort",
        extra={
            "cohort_id": participant.cohort_id,
            "participant_id": participant.pk,
            "team_id": participant.team_id,
            "source": participant.source,
            "removed_by": removed_by.pk,
        },
    )
    detail = {"cohort": participant.cohort_id, "team": participant.team_id}
    audit_record(
        action=Action.PARTICIPANT_REMOVED, actor=removed_by, target=participant, detail=detail
    )
    participant.delete()
    progress_recount(participant.cohort_id, [participant.team_id])


def participant_attempt(*, participant: Participant) -> Attempt:
    """The attempt of an invited person, started on first use of their link."""
    with transaction.atomic():
        # Locked against a cohort closing at the same moment.
        cohort = Cohort.objects.select_for_update().get(pk=participant.cohort_id)
        if not cohort.is_accepting():
            raise AttemptError(_("This cohort is not taking answers."))
        if Participant.objects.select_for_update().filter(pk=participant.pk).first() is None:
            raise AttemptError(_("This person was removed from the cohort."))
        existing = Attempt.objects.filter(participant=participant).first()
        if existing is not None:
            return existing
        attempt = Attempt.objects.create(
            bank_version=cohort.bank_version,
            participant=participant,
            order_seed=new_order_seed(cohort.bank_version),
        )
        progress_recount(cohort.pk, [participant.team_id])
        return attempt


@transaction.atomic
def import_preview(
    *, cohort: Cohort, data: bytes, filename: str, created_by: User
) -> ParticipantImport:
    """Check an uploaded CSV and keep it for confirmation; no participant is added."""
    cohort = require_open_membership(cohort)
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
        rows=[[row.line, row.name, row.email, row.team, row.language] for row in parsed.rows],
        rejected=[[item.line, item.reason, list(item.values)] for item in parsed.rejected],
        new_teams=parsed.new_teams,
    )


def import_rows(pending: ParticipantImport) -> list[csv_import.Row]:
    """The rows of a previewed import. Those kept before imports had a
    language column have four cells, and the organisation's language."""
    return [
        csv_import.Row(line, name, email, team, *rest[:1])
        for line, name, email, team, *rest in pending.rows
    ]


@transaction.atomic
def import_confirm(*, pending: ParticipantImport) -> int:
    """Add every valid row of a previewed import, or none of them."""
    pending = ParticipantImport.objects.select_for_update().get(pk=pending.pk)
    if pending.status != ParticipantImport.Status.PENDING:
        raise CohortError(_("This import was already confirmed or cancelled."))
    cohort = require_open_membership(pending.cohort)
    rows = import_rows(pending)
    emails = [row.email for row in rows]
    clash = (
        cohort.participants.annotate(key=Lower("email"))
        .filter(key__in=emails)
        .values_list("email", flat=True)[:5]
    )
    if clash:
        raise CohortError(
            _(
                "Some people were added to the cohort after this file was checked "
                "(%(emails)s). Upload the file again."
            )
            % {"emails": ", ".join(clash)}
        )
    teams = {team.name.lower(): team for team in teams_get_or_create(row.team for row in rows)}
    for team in teams.values():
        _require_not_manager(
            team, [row.email for row in rows if row.team.lower() == team.name.lower()]
        )
    cohort.teams.add(*teams.values())
    Participant.objects.bulk_create(
        Participant(
            cohort=cohort,
            team=teams[row.team.lower()],
            name=row.name,
            email=row.email,
            source=Participant.Source.CSV,
            language=row.language,
        )
        for row in rows
    )
    progress_recount(cohort.pk, [team.pk for team in teams.values()])
    pending.status = ParticipantImport.Status.APPLIED
    pending.save(update_fields=["status"])
    return len(rows)


@transaction.atomic
def import_cancel(*, pending: ParticipantImport) -> None:
    ParticipantImport.objects.filter(pk=pending.pk, status=ParticipantImport.Status.PENDING).update(
        status=ParticipantImport.Status.CANCELLED
    )
