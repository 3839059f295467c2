"""Teams of the organisation and the managers given them, by emailed invitation."""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.audit.services import Action, audit_record
from assessments.cohorts.services import CohortError
from assessments.models import (
    ManagerInvitation,
    Participant,
    Team,
    TeamManager,
)
from assessments.roles import role_join

MANAGER_INVITATION_LIFETIME = timedelta(days=14)


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
def team_manager_add(*, team: Team, user: User, by: User | None = None) -> TeamManager:
    """Give a person a team's dashboards, unless they are one of its
    participants; the grant is recorded in the audit log, with ``by``, who
    granted it."""
    member = Participant.objects.filter(team=team).filter(
        Q(attempt__user=user) | (Q(email__iexact=user.email) if user.email else Q(pk__in=[]))
    )
    if member.exists():
        raise CohortError(
            _(
                "%(user)s takes part in %(team)s in a cohort, and a manager cannot read the "
                "figures of a team their own answers are in. Choose another manager."
            )
            % {"user": user, "team": team.name}
        )
    # One grant, of the team: joining the managers' group is part of it.
    role_join(user, "manager")
    manager, created = TeamManager.objects.get_or_create(team=team, user=user)
    if created:
        audit_record(action=Action.ROLE_GRANTED, actor=by, target=user, detail=_managing(team))
    return manager


def _managing(team: Team) -> dict[str, object]:
    return {"role": "manager", "team": team.pk}


@transaction.atomic
def team_manager_remove(*, team: Team, user: User, by: User | None = None) -> None:
    removed, _ = TeamManager.objects.filter(team=team, user=user).delete()
    if removed:
        audit_record(action=Action.ROLE_REMOVED, actor=by, target=user, detail=_managing(team))


def manager_invitation_create(*, team: Team, email: str, invited_by: User) -> ManagerInvitation:
    """An invitation to manage a team, for whoever signs in with its link.
    Always by an emailed link: an account's email address is not verified,
    so matching it would hand the role to whoever typed it."""
    return ManagerInvitation.objects.create(team=team, email=email, invited_by=invited_by)


@transaction.atomic
def manager_invitation_accept(*, invitation: ManagerInvitation, user: User) -> TeamManager:
    invitation = ManagerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise CohortError(_("This invitation was already used. Ask your HR team for a new one."))
    if invitation.created_at < timezone.now() - MANAGER_INVITATION_LIFETIME:
        raise CohortError(_("This invitation has expired. Ask your HR team for a new one."))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Granted by the HR admin who sent the invitation; the person accepting
    # is the target.
    return team_manager_add(team=invitation.team, user=user, by=invitation.invited_by)
