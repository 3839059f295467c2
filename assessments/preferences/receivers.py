"""Copy a person's saved preferences into their session as they sign in.

Signing in writes the session anyway, so the copy costs one read of the
preference and no write; without it the first page after signing in would
read and write again (assessments.preferences.middleware)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from assessments.preferences import middleware


@receiver(user_logged_in, dispatch_uid="preferences-into-session")
def preferences_into_session(sender: type, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from assessments.models import Preference

    preference = Preference.objects.filter(user=user).first()
    middleware.remember(
        request,
        user.pk,
        preference.language if preference else "",
        preference.time_zone if preference else "",
    )
