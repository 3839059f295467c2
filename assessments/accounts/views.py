"""Accounts and a person's own data: history, export and deletion."""

import functools
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessments import presentation
from assessments.access import SignedInRequest, session_attempt_ids
from assessments.accounts import sso
from assessments.accounts.backends import PasswordBackend, staff_password_allowed
from assessments.accounts.exports import user_data
from assessments.accounts.forms import DeleteDataForm, ResetPasswordForm, SignInForm, SignUpForm
from assessments.accounts.services import user_data_delete
from assessments.audit.services import Action, audit_record
from assessments.models import Attempt
from assessments.roles import has_staff_role, is_hr_admin, is_manager
from assessments.taking import selectors
from assessments.taking.results import report_version
from assessments.taking.services import attempts_claim
from ratelimits import limits

logger = logging.getLogger(__name__)
PASSWORD_BACKEND = f"{PasswordBackend.__module__}.{PasswordBackend.__qualname__}"


def _claim_attempts(request: HttpRequest, user: User) -> None:
    claimed = attempts_claim(user=user, attempt_ids=session_attempt_ids(request))
    if claimed:
        messages.success(
            request,
            ngettext(
                "%(count)s result from this browser is now saved to your account.",
                "%(count)s results from this browser are now saved to your account.",
                claimed,
            )
            % {"count": claimed},
        )


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing up (a manager's invitation, say), if it is ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:history")
    next_url = _safe_next(request)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=PASSWORD_BACKEND)
        _claim_attempts(request, user)
        return redirect(next_url or "accounts:history")
    return render(
        request,
        "registration/signup.html",
        {
            "form": form,
            "heading": _("Sign up"),
            "button": _("Create account"),
            "next": next_url,
        },
    )


def _landing_url(user: User) -> str:
    """Each role lands where its work is."""
    if is_hr_admin(user):
        return reverse("cohorts:list")
    if is_manager(user):
        return reverse("dashboards:index")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SignInView(LoginView):
    """Django's sign-in, which also keeps the results taken in this browser,
    and offers the organisation's single sign-on when there is one."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Each role lands where its work is, unless ?next says otherwise."""
        return _landing_url(self.request.user)  # type: ignore[arg-type]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if sso.enabled():
            context["sso_name"] = sso.provider_name()
            context["staff_password"] = settings.STAFF_PASSWORD_SIGN_IN
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if is_hr_admin(user) or is_manager(user):
            # They can read other people's data: a shorter session.
            self.request.session.set_expiry(settings.STAFF_SESSION_AGE)
        _claim_attempts(self.request, user)
        return response


def _sso_problem(request: HttpRequest, heading: str, text: str, status: int) -> HttpResponse:
    context = {"heading": heading, "text": text}
    return render(request, "registration/sso_problem.html", context, status=status)


def _sso_unavailable(request: HttpRequest, error: sso.Unavailable) -> HttpResponse:
    logger.error("Single sign-on is unavailable: %s", error)
    name = sso.provider_name()
    text = _(
        "This site could not reach %(provider)s, or %(provider)s answered in a way it could "
        "not use. Try again in a few minutes; if it goes on, tell your IT team."
    ) % {"provider": name}
    heading = _("%(provider)s is not answering") % {"provider": name}
    return _sso_problem(request, heading, text, status=503)


@require_safe
def sso_start(request: HttpRequest) -> HttpResponse:
    """Off to the organisation's provider, to come back to sso_callback."""
    if not sso.enabled():
        raise Http404("Single sign-on is not set up here.")
    if has_staff_role(request.user):
        return redirect(_landing_url(request.user))  # type: ignore[arg-type]
    request.session[sso.SESSION_NEXT] = _safe_next(request)
    callback = request.build_absolute_uri(reverse("accounts:sso_callback"))
    try:
        return sso.authorization_redirect(request, callback)
    except sso.Unavailable as error:
        return _sso_unavailable(request, error)


@require_safe
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: sign in the staff member its ID token names,
    or refuse, with no account made for anyone."""
    if not sso.enabled():
        raise Http404("Single sign-on is not set up here.")
    try:
        user = sso.staff_account(sso.verified_claims(request))
    except sso.Refused as refusal:
        logger.warning("Single sign-on refused: %s", refusal.reason)
        page = sso.refusal_page(refusal)
        return _sso_problem(request, page["heading"], page["text"], status=403)
    except sso.Unavailable as error:
        return _sso_unavailable(request, error)
    # Read before login(), which empties the session if someone else was signed in.
    next_url = request.session.pop(sso.SESSION_NEXT, "")
    login(request, user, backend=sso.BACKEND)
    # They can read other people's data: a shorter session.
    request.session.set_expiry(settings.STAFF_SESSION_AGE)
    _claim_attempts(request, user)
    return redirect(next_url or _landing_url(user))


RESET_REFUSED = {
    "reset-email": gettext_lazy(
        "Several password reset links have been asked for, for this email address, in the last "
        "hour, so no more go out for now. A link sent before still works: look in the inbox "
        "and the spam folder."
    ),
    "reset-client": gettext_lazy(
        "Many password reset links have been asked for from your network in the last hour, so "
        "no more go out from it for now."
    ),
}


class ResetPasswordView(PasswordResetView):
    """Django's password reset, limited: each request can put an email in
    someone's mailbox. Counted whether or not an account has the address,
    so the limit tells no one which addresses have accounts. No link goes
    to staff who must use single sign-on (ResetPasswordForm)."""

    form_class = ResetPasswordForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not settings.STAFF_PASSWORD_SIGN_IN:
            context["staff_sso_only"] = sso.provider_name()
        return context

    def form_valid(self, form):
        refusal = limits.hit("reset-client", limits.client_address(self.request)) or limits.hit(
            "reset-email", limits.email_key(form.cleaned_data["email"])
        )
        if refusal is not None:
            return limits.too_many_requests(
                self.request, refusal, str(RESET_REFUSED[refusal.scope])
            )
        return super().form_valid(form)


class SetPasswordView(PasswordResetConfirmView):
    """Django's page behind a reset link, closed to staff while they must
    use single sign-on, so that a link sent before the switch cannot set a
    password either: it answers as a used link does."""

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        if user is not None and not staff_password_allowed(user):
            return None
        return user


@login_required
@require_safe
def history(request: SignedInRequest) -> HttpResponse:
    # Results never change, so the table and the trend charts are rendered
    # once for each set of results and cached (the template's cache tag):
    # a visit reads only which results there are.
    ids = list(selectors.results_for_user(request.user).values_list("pk", flat=True))

    @functools.cache
    def results() -> list:
        """Oldest first, with their scores: only when the cache lacks them."""
        return list(selectors.results_for_user(request.user).filter(pk__in=ids))

    context = {
        "result_count": len(ids),
        "results": SimpleLazyObject(lambda: list(reversed(results()))),
        "rows": SimpleLazyObject(lambda: presentation.history_rows(results())),
        "thresholds": SimpleLazyObject(
            lambda: presentation.change_thresholds(len(results()[0].scores.all()))
        ),
        "trend": SimpleLazyObject(lambda: presentation.trend(results())),
        "results_key": ",".join(map(str, ids)),
        "report_version": report_version(),
        "unfinished": selectors.in_progress_attempt(Attempt.objects.filter(user=request.user)),
    }
    return render(request, "assessments/history.html", context)


@login_required
@require_safe
def data_export(request: SignedInRequest) -> HttpResponse:
    body = json.dumps(user_data(request.user), cls=DjangoJSONEncoder, indent=2)
    own = {"export": "own_data"}
    audit_record(action=Action.EXPORTED, actor=request.user, target=request.user, detail=own)
    response = HttpResponse(body, content_type="application/json")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="seller-leader-spectrum-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def data_delete(request: SignedInRequest) -> HttpResponse:
    form = DeleteDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_data_delete(user=user)
        messages.success(request, _("Your account, answers and results have been deleted."))
        return redirect("taking:home")
    count = request.user.attempts.count()
    return render(request, "assessments/delete.html", {"form": form, "attempt_count": count})
