import functools
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from assessments import presentation
from assessments.access import get_own_result_by_token, get_result_by_token, result_access
from assessments.banks import statistics
from assessments.caching import sources_digest
from assessments.charts import person as charts_person
from assessments.content import article, guidance
from assessments.dashboards.sharing import SharingError, can_share, result_share_set
from assessments.models import Result, ResultShare
from assessments.taking import selectors


@functools.cache
def report_version() -> str:
    """Changes whenever the report's templates or texts do: the cached
    report of a result (which itself never changes) is keyed by it, so no
    deploy ever serves an old one, even from a cache shared by servers."""
    sources = sorted((settings.TEMPLATES_DIR / "assessments").glob("*.html"))
    sources += [Path(module.__file__ or "") for module in (guidance, article, charts_person)]
    # The compiled translations: a deploy with new wording renders afresh.
    sources += sorted(
        path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/*/*.mo")
    )
    return sources_digest(sources)


def result_page_context(request: HttpRequest, result: Result) -> dict:
    """What the result page shows this person: the page and its PDF use it.
    The report itself is rendered once and cached (the template's cache
    tag), so its reading is worked out only when the cache lacks it."""
    access = result_access(request, result)
    return {
        "result": result,
        "reading": SimpleLazyObject(
            lambda: presentation.read_result(selectors.result_with_scores(result))
        ),
        "report_version": report_version(),
        # Read only when the cached report is rendered again.
        "percentile": SimpleLazyObject(lambda: statistics.percentile(result)),
        "nuances": guidance.NUANCES,
        "is_owner": access.is_owner,
        # Whoever came through the personal link may share the result and
        # reach their cohort data.
        "can_share": access.is_taker,
        # Read only where the sharing form is shown.
        "shared": access.is_taker and ResultShare.objects.filter(result=result).exists(),
        "shareable": can_share(result),
        "participant": result.attempt.participant,
        "can_claim": access.can_claim,
    }


@cache_control(private=True, no_store=True)
@require_safe
def result_detail(request: HttpRequest, token: str) -> HttpResponse:
    context = result_page_context(request, get_result_by_token(token))
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
            _("Your team's managers can now see this result.")
            if shared
            else _("Your result is no longer shared."),
        )
    return redirect("taking:result_detail", token=token)
