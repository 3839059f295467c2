from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from assessments import presentation
from assessments.access import get_own_result_by_token, get_result_by_token, result_access
from assessments.content import guidance
from assessments.dashboards.sharing import SharingError, can_share, result_share_set
from assessments.models import Result, ResultShare
from assessments.taking import selectors


def result_page_context(request: HttpRequest, result: Result) -> dict:
    """What the result page shows this person: the page and its PDF use it."""
    access = result_access(request, result)
    return {
        "result": result,
        "reading": presentation.read_result(result),
        "nuances": guidance.NUANCES,
        "is_owner": access.is_owner,
        # Whoever came through the personal link may share the result and
        # reach their cohort data.
        "can_share": access.is_taker,
        "shared": ResultShare.objects.filter(result=result).exists(),
        "shareable": can_share(result),
        "participant": result.attempt.participant,
        "can_claim": access.can_claim,
    }


@cache_control(private=True, no_store=True)
@require_safe
def result_detail(request: HttpRequest, token: str) -> HttpResponse:
    result = selectors.result_with_scores(get_result_by_token(token))
    context = result_page_context(request, result)
    response = render(request, "assessments/result.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def result_share(request: HttpRequest, token: str) -> HttpResponse:
    """Only the person who took the attempt may share it."""
    result = get_own_result_by_token(request, token)
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
    return redirect("taking:result_detail", token=token)
