"""Apply a signed-in person's saved language and time zone to their requests."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

# The session holds a copy, so a page costs no query for it: (user id,
# language, time zone). The preferences view and the switcher write it.
SESSION_KEY = "preferences"


class Locale:
    """Django's LocaleMiddleware for a site whose URLs carry no language prefix
    (no i18n_patterns; tests/test_preferences.py holds it to that): the language
    is the switcher's cookie's, else the browser's, else the organisation's, and
    the response says so in Content-Language and Vary. Django's own looks for a
    prefix in the path twice a request to find none, about 10 µs of a 200 µs
    hello-world request here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


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
