from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from .. import guidance, presentation, selectors
from ..access import get_result_by_token


@cache_control(private=True, no_store=True)
def result_detail(request: HttpRequest, token: str) -> HttpResponse:
    result = selectors.result_with_scores(get_result_by_token(token))
    is_owner = result.attempt.user_id is not None and result.attempt.user_id == request.user.pk
    context = {
        "result": result,
        "reading": presentation.read_result(result),
        "nuances": guidance.NUANCES,
        "is_owner": is_owner,
        "can_claim": result.attempt.user_id is None and not request.user.is_authenticated,
    }
    response = render(request, "assessments/result.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
