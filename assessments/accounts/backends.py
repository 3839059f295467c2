"""How people sign in: a password, or the organisation's single sign-on.

Staff (superusers, HR admins, managers) may be made to use single sign-on
only (DJANGO_STAFF_PASSWORD_SIGN_IN=false). The refusal lives here, in the
backend, so that every way of signing in with a password is closed to them
alike: the sign-in page, the admin's, anything else that calls
``authenticate``.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from assessments.roles import ModelBackend, has_staff_role

# Set on the request when a staff password is refused, so that the form
# can say why rather than "wrong password".
STAFF_PASSWORD_REFUSED = "staff_password_refused"  # noqa: S105 (a flag's name)


class StaffPasswordRefused(PermissionDenied):
    """A staff member's right password, while staff must use single sign-on."""


def staff_password_allowed(user: AbstractBaseUser) -> bool:
    return settings.STAFF_PASSWORD_SIGN_IN or not has_staff_role(user)  # type: ignore[arg-type]


class PasswordBackend(ModelBackend):
    """Django's password check, closed to staff while they must use single
    sign-on. Only a right password is refused with a reason: a wrong one
    fails as any wrong password does, so the message tells nobody without
    the password that an account is staff."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not staff_password_allowed(user):
            if request is not None:
                setattr(request, STAFF_PASSWORD_REFUSED, True)
            # Stops Django's authenticate; it then sends user_login_failed,
            # so the refusal is counted (django-axes) and recorded (the
            # audit log's staff_sign_in_failed) like any failed sign-in.
            raise StaffPasswordRefused
        return user


class SingleSignOnBackend(ModelBackend):
    """Named in the session of whoever single sign-on signed in
    (``login(request, user, backend=...)`` in assessments/accounts/sso.py),
    so that their later requests find them, and so that the session says how
    they came in. It authenticates nothing itself: the provider's ID token,
    checked in sso.py, is the credential."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        return None
