"""The product's roles: HR admins and managers, as groups with permissions.

Participants are ordinary users, or people invited to a cohort without an
account. Superusers hold every permission, so they count as HR admins too.
The groups and their permissions are made by migration 0004_roles.
"""

from django.contrib.auth import backends
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db import transaction
from django.db.models import Q

# A module, not its names: the audit service asks this module who is staff,
# and each is imported while the other is still being imported.
from assessments.audit import services as audit

HR_ADMINS = "HR admins"
MANAGERS = "Managers"
MANAGE_COHORTS = "assessments.manage_cohorts"
VIEW_TEAM_DASHBOARD = "assessments.view_team_dashboard"
ROLE_NAMES = {"hr_admin": HR_ADMINS, "manager": MANAGERS}
# group name -> codenames of its permissions in the assessments app
ROLE_PERMISSIONS = {
    HR_ADMINS: ["manage_cohorts", "view_team_dashboard"],
    MANAGERS: ["view_team_dashboard"],
}


def is_hr_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_COHORTS))


def is_manager(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_TEAM_DASHBOARD))


def has_staff_role(user: User | AnonymousUser) -> bool:
    """Superusers, HR admins and managers: the people who read others' data."""
    return is_hr_admin(user) or is_manager(user)


def role_group(name: str) -> Group:
    """A role's group, made again with its permissions if someone deleted it
    (migration 0004 makes them first)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="assessments", codename__in=ROLE_PERMISSIONS[name]
            )
        )
    return group


def _forget_permissions(user: User) -> None:
    # Django caches permissions on the user object.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def role_join(user: User, role: str) -> bool:
    """Put a user in a role's group; whether they were not in it already.

    Not recorded: whoever calls it records the grant it makes, as
    ``grant_role`` does, or ``team_manager_add`` for a team's dashboards."""
    group = role_group(ROLE_NAMES[role])
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    _forget_permissions(user)
    return True


@transaction.atomic
def grant_role(user: User, role: str, *, by: User | None = None) -> None:
    """Add a user to a role's group (``role`` is a key of ROLE_NAMES), and
    record it in the audit log; ``by`` is whoever granted it, if anyone
    signed in did (not a management command)."""
    if role_join(user, role):
        audit.audit_record(
            action=audit.Action.ROLE_GRANTED, actor=by, target=user, detail={"role": role}
        )


@transaction.atomic
def revoke_role(user: User, role: str, *, by: User | None = None) -> None:
    """Take a user out of a role's group, and record it in the audit log."""
    group = role_group(ROLE_NAMES[role])
    if not user.groups.filter(pk=group.pk).exists():
        return
    user.groups.remove(group)
    _forget_permissions(user)
    audit.audit_record(
        action=audit.Action.ROLE_REMOVED, actor=by, target=user, detail={"role": role}
    )


class ModelBackend(backends.ModelBackend):
    """Django's, reading someone's permissions in one query rather than two
    (their own, then their groups'): every signed-in page asks which roles
    its menu offers."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = permissions.values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app}.{name}" for app, name in pairs.order_by().distinct()}
        return user_obj._perm_cache
