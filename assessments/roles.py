"""The product's roles: HR admins and managers, as groups with permissions.

Participants are ordinary users, or people invited to a cohort without an
account. Superusers hold every permission, so they count as HR admins too.
The groups and their permissions are made by migration 0004_roles.
"""

from django.contrib.auth.models import AbstractBaseUser, Group

HR_ADMINS = "HR admins"
MANAGERS = "Managers"
MANAGE_COHORTS = "assessments.manage_cohorts"
VIEW_TEAM_DASHBOARD = "assessments.view_team_dashboard"
ROLE_NAMES = {"hr_admin": HR_ADMINS, "manager": MANAGERS}


def is_hr_admin(user: AbstractBaseUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_COHORTS))


def is_manager(user: AbstractBaseUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_TEAM_DASHBOARD))


def grant_role(user: AbstractBaseUser, role: str) -> None:
    """Add a user to a role's group; ``role`` is a key of ROLE_NAMES."""
    user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
    # Django caches permissions on the user object; forget them.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
