"""Apply a signed-in person's saved language and time zone to their requests."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

# The session holds a copy, so a page costs no query for it: (user id,
# language, time zone). The preferences view and the switcher write it.
SESSION_KEY = "preferences"


def remember(request: HttpRequest, user_id: int, language: str, time_zone: str) -> None:
    request.session[SESSION_KEY] = [user_id, language, time_zone]


def saved(request: HttpRequest) -> tuple[str, str]:
    """The signed-in person's (language, time zone), empty where they chose none."""
    cached = request.session.get(SESSION_KEY)
    if cached and cached[0] == request.user.pk:
        return cached[1], cached[2]
    from assessments.models import Preference

    user_id = request.user.pk
    assert user_id is not None, "only for signed-in people"
    preference = Preference.objects.filter(user_id=user_id).first()
    language = preference.language if preference else ""
    time_zone = preference.time_zone if preference else ""
    remember(request, user_id, language, time_zone)
    return language, time_zone


class Preferences:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in person's
    saved language replaces the cookie's or browser's, and their time zone, else
    the organisation's (settings.TIME_ZONE), is the one pages show times in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session nobody is signed in: not even the (lazy) user is
        # looked at, so a visitor's page costs nothing here.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            language, time_zone = saved(request)
            if language and language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = language
            if time_zone:
                timezone.activate(zoneinfo.ZoneInfo(time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
