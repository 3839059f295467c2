"""Staff sign-ins, recorded from Django's own signals: every way in (the
sign-in page, the admin's, single sign-on in accounts/sso.py) calls ``login`` or
``authenticate``, and so passes here."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

# Modules, not their names: this module is imported while the models are
# (see assessments/models/audit.py), and roles imports the audit service.
from assessments import roles
from assessments.audit import services as audit


@receiver(user_logged_in, dispatch_uid="audit-staff-signed-in")
def staff_signed_in(sender: object, request: HttpRequest | None, user, **kwargs: object) -> None:
    # Raises if it cannot be written: the sign-in then answers 500, and the
    # session, which Django does not save on a 500, stays signed out.
    if roles.has_staff_role(user):
        audit.audit_record(action=audit.Action.STAFF_SIGNED_IN, actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="audit-staff-sign-in-failed")
def staff_sign_in_failed(sender: object, credentials: dict[str, object], **kwargs: object) -> None:
    """A failed sign-in (or one refused by the lockout) under a staff
    member's username. Nothing for any other username, which may be a
    password typed in the wrong box."""
    User = get_user_model()
    username = credentials.get(User.USERNAME_FIELD)
    if not isinstance(username, str) or not username:
        return
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is not None and roles.has_staff_role(user):
        audit.audit_record(action=audit.Action.STAFF_SIGN_IN_FAILED, actor=None, target=user)
