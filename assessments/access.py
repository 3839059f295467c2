"""Who may see or act on what: decided here, and only here. Every view gets
the objects it shows through these helpers. Outsiders get 404 (they cannot
tell a missing object from someone else's), the wrong role 403."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from assessments.models import (
    Attempt,
    BankVersion,
    Cohort,
    Item,
    ManagerInvitation,
    Participant,
    Result,
    ResultShare,
    Team,
)
from assessments.roles import is_hr_admin, is_manager

SESSION_ATTEMPTS = "attempt_ids"


class SignedInRequest(HttpRequest):
    """The request a view sees behind login_required or a role check: its
    user is a real account, never AnonymousUser."""

    user: User


def _found[M: Model](queryset: QuerySet[M], message: str) -> M:
    """The one object the query finds, or 404 with the message: the same
    answer whether it does not exist or is someone else's. Every caller asks
    by a unique key, so the first row is the one (``first()`` would sort by
    the primary key to find it, a good part of a small query's cost)."""
    found = next(iter(queryset[:1]), None)
    if found is None:
        raise Http404(message)
    return found


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


def holds_attempt(request: HttpRequest, attempt_id) -> bool:
    """Whether this person took the attempt: in their account, or anonymously
    in this browser (their personal link brings a cohort attempt here)."""
    return attempts_for_request(request).filter(pk=attempt_id).exists()


def get_attempt_for_request(request: HttpRequest, attempt_id) -> Attempt:
    attempts = attempts_for_request(request).select_related("bank_version")
    return _found(attempts.filter(pk=attempt_id), "No such assessment.")


def get_result_by_token(token: str) -> Result:
    """A result's private link is its own key: whoever holds it may read it."""
    # Only the attempt: the version and bank are read by the report, which is
    # cached, so only when it is rendered again.
    results = Result.objects.select_related("attempt")
    return _found(results.filter(token=token), "No such result.")


def get_own_result_by_token(request: HttpRequest, token: str) -> Result:
    """A result the person asking took: the private link alone lets someone
    read a result, not change who else sees it."""
    result = get_result_by_token(token)
    if not holds_attempt(request, result.attempt_id):
        raise Http404("No such result.")
    return result


@dataclass(frozen=True)
class ResultAccess:
    """What the person reading a result page may do with it."""

    is_owner: bool  # it is in their account
    is_taker: bool  # they took it in a cohort, through their personal link
    can_claim: bool  # signing up or in would keep it in an account


def result_access(request: HttpRequest, result: Result) -> ResultAccess:
    attempt = result.attempt
    in_cohort = attempt.participant_id is not None
    return ResultAccess(
        is_owner=attempt.user_id is not None and attempt.user_id == request.user.pk,
        is_taker=in_cohort and holds_attempt(request, attempt.pk),
        # Only a result taken on one's own; a cohort result stays with its link.
        can_claim=attempt.user_id is None and not in_cohort and not request.user.is_authenticated,
    )


def hr_admin_required(view):
    """Only HR admins: anonymous people are sent to sign in, anyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_hr_admin(request.user):
            raise PermissionDenied(_("This page is for HR admins."))
        return view(request, *args, **kwargs)

    return wrapper


def get_cohort_for_hr(request: HttpRequest, cohort_id: int) -> Cohort:
    return _found(
        (
            Cohort.objects.for_hr_admin(request.user)
            .select_related("bank_version__bank")
            .filter(pk=cohort_id)
        ),
        "No such cohort.",
    )


def get_participant_for_hr(
    request: HttpRequest, cohort_id: int, participant_id: int
) -> Participant:
    """One person of a cohort the HR admin may open; 404 for anyone else's."""
    cohort = get_cohort_for_hr(request, cohort_id)
    return _found(
        cohort.participants.select_related("cohort", "team").filter(pk=participant_id),
        "No such participant.",
    )


def get_team_for_hr(team_id: int) -> Team:
    """Teams belong to the one organisation: an HR admin may open any."""
    return _found(Team.objects.filter(pk=team_id), "No such team.")


def get_bank_version_for_hr(version_id: int) -> BankVersion:
    return _found(
        BankVersion.objects.select_related("bank").filter(pk=version_id),
        "No such question bank version.",
    )


def get_item_for_hr(item_id: int) -> Item:
    return _found(
        Item.objects.select_related("version__bank", "dimension").filter(pk=item_id),
        "No such item.",
    )


def get_cohort_by_join_code(code: str) -> Cohort:
    """An open join link is its own key; whether it still admits anyone is
    the cohort's to say."""
    return _found(Cohort.objects.filter(join_code=code), "No such join link.")


def get_manager_invitation(token: str) -> ManagerInvitation:
    """A manager's invitation link is its own key, for whoever signs in with it."""
    return _found(
        ManagerInvitation.objects.select_related("team").filter(token=token), "No such invitation."
    )


def get_participant_by_token(token: str) -> Participant:
    """An invitation link is its own key: it opens one person's place in a cohort."""
    return _found(
        (Participant.objects.select_related("cohort__bank_version", "team").filter(token=token)),
        "No such invitation.",
    )


def dashboard_reader_required(view):
    """Managers and HR admins: anonymous people sign in first, anyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_manager(request.user) or is_hr_admin(request.user)):
            raise PermissionDenied(_("Dashboards are for managers and HR admins."))
        return view(request, *args, **kwargs)

    return wrapper


def get_share_for_manager(request: HttpRequest, share_id: int) -> ResultShare:
    """A result shared with a team this person manages, read while the share lasts."""
    return _found(
        (
            ResultShare.objects.for_manager(request.user)
            .select_related("team", "result__attempt__participant")
            .filter(pk=share_id)
        ),
        "Nothing is shared with you here.",
    )


def get_team_for_dashboard(request: HttpRequest, team_id: int) -> Team:
    """A team the person may read; another team is not found, not forbidden,
    so managers cannot learn which teams exist."""
    return _found(Team.objects.for_dashboard(request.user).filter(pk=team_id), "No such team.")
