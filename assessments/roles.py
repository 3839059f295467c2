"""The product's roles: HR admins and managers, as groups with permissions.

Participants are ordinary users, or people invited to a cohort without an
account. Superusers hold every permission, so they count as HR admins too.
The groups and their permissions are made by migration 0004_roles.
"""

from django.contrib.auth.models import AnonymousUser, Group, Permission, User

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
