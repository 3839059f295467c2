"""Who may see which attempt or result: decided here, and only here."""

from django.http import Http404, HttpRequest

from .models import Attempt, Result

SESSION_ATTEMPTS = "attempt_ids"


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
