"""The language switcher, a signed-in person's preferences, and the
accessibility statement."""

from typing import Literal, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.access import SignedInRequest
from assessments.preferences import middleware
from assessments.preferences.forms import LanguageForm, PreferenceForm
from assessments.preferences.services import preference_update


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("taking:home")


def _samesite() -> Literal["Lax", "Strict", "None"]:
    return cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE)


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """The cookie LocaleMiddleware reads, as the settings describe it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=_samesite(),
    )


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the language and go back to the page it was asked from: the
    cookie keeps it for anyone, and a signed-in person's preference keeps
    it on their other devices and for their emails. The page's own state
    (an attempt in progress, a form's link) lives in its URL and session,
    so nothing is lost."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That language is not one this site speaks."))
        return HttpResponseRedirect(_safe_next(request, request.POST.get("next", "")))
    language = form.cleaned_data["language"]
    response = HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"]))
    set_language_cookie(response, language)
    if isinstance(request.user, User):
        preference = preference_update(user=request.user, language=language)
        middleware.remember(request, request.user.pk, preference.language, preference.time_zone)
    return response


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    preference = getattr(request.user, "preference", None)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        saved = preference_update(
            user=request.user,
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        middleware.remember(request, request.user.pk, saved.language, saved.time_zone)
        language = saved.language or translation.get_language_from_request(request)
        with translation.override(language):
            messages.success(request, _("Your preferences are saved."))
        response = HttpResponseRedirect(reverse("preferences:preferences"))
        if saved.language:
            set_language_cookie(response, saved.language)
        else:
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                samesite=_samesite(),
            )
        return response
    context = {"form": form, "now": timezone.localtime(), "organisation_zone": settings.TIME_ZONE}
    return render(
        request, "preferences/preferences.html", context, status=400 if form.errors else 200
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request, "preferences/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT}
    )
