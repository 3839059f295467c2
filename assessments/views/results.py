from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from .. import guidance, presentation, selectors
from ..access import attempts_for_request, get_result_by_token
from ..models import ResultShare
from ..services.sharing import SharingError, can_share, result_share_set


@cache_control(private=True, no_store=True)
def result_detail(request: HttpRequest, token: str) -> HttpResponse:
    result = selectors.result_with_scores(get_result_by_token(token))
    is_owner = result.attempt.user_id is not None and result.attempt.user_id == request.user.pk
    holds_attempt = attempts_for_request(request).filter(pk=result.attempt_id).exists()
    participant = result.attempt.participant
    context = {
        "result": result,
        "reading": presentation.read_result(result),
        "nuances": guidance.NUANCES,
        "is_owner": is_owner,
        # Whoever came through the personal link: they may share the result
        # and reach their cohort data.
        "can_share": holds_attempt and participant is not None,
        "shared": ResultShare.objects.filter(result=result).exists(),
        "shareable": can_share(result),
        "participant": participant,
        # Only a result taken on one's own can be kept in an account; a
        # cohort result stays with its personal link.
        "can_claim": result.attempt.user_id is None
        and participant is None
        and not request.user.is_authenticated,
    }
    response = render(request, "assessments/result.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def result_share(request: HttpRequest, token: str) -> HttpResponse:
    """Only the person who took the attempt may share it: the private link
    alone lets someone read a result, not change who else sees it."""
    result = get_result_by_token(token)
    if not attempts_for_request(request).filter(pk=result.attempt_id).exists():
        raise Http404("No such result.")
    shared = request.POST.get("shared") == "on"
    try:
        result_share_set(result=result, shared=shared)
    except SharingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Your team's managers can now see this result."
            if shared
            else "Your result is no longer shared.",
        )
    return redirect("result_detail", token=token)
