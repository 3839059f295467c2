"""Who may see which attempt or result: decided here, and only here."""

from functools import wraps

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Attempt, Cohort, Participant, Result, Team
from .roles import is_hr_admin, is_manager

SESSION_ATTEMPTS = "attempt_ids"


class SignedInRequest(HttpRequest):
    """The request a view sees behind login_required or a role check: its
    user is a real account, never AnonymousUser."""

    user: User


def session_attempt_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_ATTEMPTS, []))


def remember_attempt(request: HttpRequest, attempt: Attempt) -> None:
    """Tie an attempt to this browser, so an anonymous person can resume it."""
    ids = session_attempt_ids(request)
    if str(attempt.pk) not in ids:
        request.session[SESSION_ATTEMPTS] = [*ids, str(attempt.pk)][-20:]


def attempts_for_request(request: HttpRequest):
    """Attempts the person asking may open: their own, or this browser's anonymous ones."""
    anonymous_here = Attempt.objects.filter(pk__in=session_attempt_ids(request), user__isnull=True)
    if request.user.is_authenticated:
        return Attempt.objects.filter(user=request.user) | anonymous_here
    return anonymous_here


def get_attempt_for_request(request: HttpRequest, attempt_id) -> Attempt:
    attempt = attempts_for_request(request).select_related("bank_version").filter(pk=attempt_id)
    found = attempt.first()
    if found is None:
        # The same answer whether the attempt does not exist or is someone
        # else's, so ids cannot be probed.
        raise Http404("No such assessment.")
    return found


def get_result_by_token(token: str) -> Result:
    """A result's private link is its own key: whoever holds it may read it."""
    result = (
        Result.objects.select_related("attempt", "bank_version__bank").filter(token=token).first()
    )
    if result is None:
        raise Http404("No such result.")
    return result


def hr_admin_required(view):
    """Only HR admins: anonymous people are sent to sign in, anyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_hr_admin(request.user):
            raise PermissionDenied("This page is for HR admins.")
        return view(request, *args, **kwargs)

    return wrapper


def get_cohort_for_hr(request: HttpRequest, cohort_id: int) -> Cohort:
    cohort = (
        Cohort.objects.for_hr_admin(request.user)
        .select_related("bank_version__bank")
        .filter(pk=cohort_id)
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


def get_participant_by_token(token: str) -> Participant:
    """An invitation link is its own key: it opens one person's place in a cohort."""
    participant = (
        Participant.objects.select_related("cohort__bank_version", "team")
        .filter(token=token)
        .first()
    )
    if participant is None:
        raise Http404("No such invitation.")
    return participant


def dashboard_reader_required(view):
    """Managers and HR admins: anonymous people sign in first, anyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_manager(request.user) or is_hr_admin(request.user)):
            raise PermissionDenied("Dashboards are for managers and HR admins.")
        return view(request, *args, **kwargs)

    return wrapper


def get_team_for_dashboard(request: HttpRequest, team_id: int) -> Team:
    """A team the person may read; another team is not found, not forbidden,
    so managers cannot learn which teams exist."""
    team = Team.objects.for_dashboard(request.user).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    return team
