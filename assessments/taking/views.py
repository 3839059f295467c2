"""Taking the assessment: the intro, starting, and the pages of questions."""

from collections import Counter
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import attempts_for_request, get_attempt_for_request, remember_attempt
from assessments.models import Attempt, BankVersion, Dimension, Item
from assessments.taking import selectors, services
from assessments.taking.forms import ITEM_PREFIX, AnswersForm
from ratelimits import limits


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    version = BankVersion.objects.current()
    # A published version's items are read once per process, and never change.
    kinds = Counter(item.kind for item in selectors.version_items(version.pk)) if version else {}
    context = {
        "version": version,
        "statement_count": kinds.get(Item.Kind.STATEMENT, 0),
        "scenario_count": kinds.get(Item.Kind.SCENARIO, 0),
        "dimensions": Dimension.objects.all(),
        "unfinished": selectors.in_progress_attempt(attempts_for_request(request)),
    }
    return render(request, "assessments/home.html", context)


START_REFUSED = gettext_lazy(
    "Many assessments have been started from your network in the last hour, so no more can "
    "be started from it for now. An assessment you have already started is still there: "
    "go back to the start page to carry on with it."
)


@require_POST
def attempt_start(request: HttpRequest) -> HttpResponse:
    # Anyone may start without signing in, and each start stores an attempt:
    # the limit keeps one client from filling the database.
    refusal = limits.hit("start-client", limits.client_address(request))
    if refusal is not None:
        return limits.too_many_requests(request, refusal, str(START_REFUSED))
    version = BankVersion.objects.current()
    if version is None:
        messages.error(
            request, _("The assessment is not available yet: no question bank is published.")
        )
        return redirect("taking:home")
    attempt = services.attempt_start(bank_version=version, user=request.user)
    remember_attempt(request, attempt)
    return redirect("taking:attempt_page", attempt_id=attempt.pk, number=1)


@require_http_methods(["GET", "POST"])
def attempt_resume(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    """Go to the first page with an unanswered question; it changes nothing."""
    attempt = get_attempt_for_request(request, attempt_id)
    if attempt.status == Attempt.Status.SUBMITTED:
        return redirect("taking:result_detail", token=attempt.result.token)
    return redirect(
        "taking:attempt_page", attempt_id=attempt.pk, number=selectors.resume_page_number(attempt)
    )


@require_http_methods(["GET", "POST"])
def attempt_page(request: HttpRequest, attempt_id: UUID, number: int) -> HttpResponse:
    attempt = get_attempt_for_request(request, attempt_id)
    if attempt.status == Attempt.Status.SUBMITTED:
        messages.info(request, _("You have already finished this assessment. Here is your result."))
        return redirect("taking:result_detail", token=attempt.result.token)
    page = selectors.page_of_items(attempt, number)
    if page is None:
        return redirect("taking:attempt_page", attempt_id=attempt.pk, number=1)

    going_back = request.POST.get("direction") == "back"
    answered = None
    if request.method == "POST":
        form = AnswersForm(request.POST, items=page.items, require_all=not going_back)
        if form.is_valid():
            try:
                return _save_page(request, attempt, page, form.answers(), going_back)
            except services.CohortClosed as error:
                return render(request, "cohorts/closed.html", {"cohort": error.cohort}, status=410)
            except services.AttemptError as error:
                form.add_error(None, str(error))
    else:
        answers = selectors.saved_answers(attempt)
        answered = len(answers)
        form = AnswersForm(
            initial={
                f"item_{item.pk}": answers[item.pk] for item in page.items if item.pk in answers
            },
            items=page.items,
        )
    context = {
        "attempt": attempt,
        "page": page,
        "form": form,
        "progress": selectors.attempt_progress(attempt, answered),
    }
    # A body no browser sends from this page is a bad request, said so on the page.
    status = 400 if form.is_bound and form.is_forged() else 200
    return render(request, "assessments/page.html", context, status=status)


def _save_page(
    request: HttpRequest,
    attempt: Attempt,
    page: selectors.Page,
    answers: dict[int, int],
    going_back: bool,
) -> HttpResponse:
    if going_back or not page.is_last:
        services.responses_save(attempt=attempt, answers=answers)
        number = max(1, page.number - 1) if going_back else page.number + 1
        return redirect("taking:attempt_page", attempt_id=attempt.pk, number=number)
    # The last page and the submit are one write, so a cohort closing in
    # between cannot leave its answers stored without a result.
    try:
        result = services.attempt_finish(attempt=attempt, answers=answers)
    except services.IncompleteAttempt as error:
        messages.error(
            request, _("%(missing)s Please answer them to see your result.") % {"missing": error}
        )
        first_missing = selectors.page_number_of(attempt, error.missing)
        return redirect("taking:attempt_page", attempt_id=attempt.pk, number=first_missing)
    return redirect("taking:result_detail", token=result.token)


@require_POST
def attempt_autosave(request: HttpRequest, attempt_id: UUID) -> JsonResponse:
    """Save answers as they are clicked, so a dropped connection loses nothing.

    The page works without it: every Next and Back saves the page too.
    """
    attempt = get_attempt_for_request(request, attempt_id)
    if attempt.status == Attempt.Status.SUBMITTED:
        return JsonResponse({"error": _("This assessment has already been submitted.")}, status=409)
    names = {key.removeprefix(ITEM_PREFIX) for key in request.POST if key.startswith(ITEM_PREFIX)}
    ids = [int(name) for name in names if name.isascii() and name.isdigit() and len(name) <= 12]
    items = selectors.with_options(list(attempt.bank_version.items.filter(pk__in=ids)))
    form = AnswersForm(request.POST, items=items, require_all=True)
    if not names or len(items) != len(names) or not form.is_valid():
        return JsonResponse(
            {"error": _("These answers could not be saved: reload the page and try again.")},
            status=400,
        )
    try:
        services.responses_save(attempt=attempt, answers=form.answers())
    except services.AttemptError as error:
        return JsonResponse({"error": str(error)}, status=400)
    progress = selectors.attempt_progress(attempt)
    return JsonResponse({"answered": progress.answered, "total": progress.total})
