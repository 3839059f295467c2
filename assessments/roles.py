"""The product's roles: HR admins and managers, as groups with permissions.

Participants are ordinary users, or people invited to a cohort without an
account. Superusers hold every permission, so they count as HR admins too.
The groups and their permissions are made by migration 0004_roles.
"""

from django.contrib.auth import backends
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db.models import Q

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


def grant_role(user: User, role: str) -> None:
    """Add a user to a role's group; ``role`` is a key of ROLE_NAMES."""
    user.groups.add(role_group(ROLE_NAMES[role]))
    # Django caches permissions on the user object; forget them.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


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
