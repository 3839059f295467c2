"""A result's report as a PDF file, printed by the server (taking.pdf)."""

import copy

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from assessments.access import get_result_by_token
from assessments.models import Result
from assessments.taking import pdf
from assessments.taking.results import result_page_context
from ratelimits import limits

PDF_REFUSED = _(
    "Many PDFs have been made for your network in the last hour, so no more can be made "
    "for it for now. Your browser's Print, then Save as PDF, gives the same report."
)
BAD_PAPER = _("The paper size must be A4 or Letter.")


@require_GET
@cache_control(private=True, no_store=True)
def result_pdf(request: HttpRequest, token: str) -> HttpResponse:
    # The same key as the result page: whoever may read it may download it.
    result = get_result_by_token(token)
    paper = pdf.PAPERS.get(request.GET.get("paper", pdf.A4.key).lower())
    if paper is None:
        return render(request, "400.html", {"message": BAD_PAPER}, status=400)
    # Each PDF costs a browser render.
    refusal = limits.hit("pdf-client", limits.client_address(request))
    if refusal is not None:
        return limits.too_many_requests(request, refusal, str(PDF_REFUSED))

    page_request = _result_page_request(request, reverse("taking:result_detail", args=[token]))
    html = render_to_string(
        "assessments/result.html", result_page_context(page_request, result), page_request
    )
    try:
        document = pdf.render_pdf(
            html,
            url=page_request.build_absolute_uri(),
            paper=paper,
            client=limits.client_address(request),
        )
    except pdf.PdfError as error:
        return _unavailable(request, result, error)

    day = timezone.localdate(result.created_at).isoformat()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="seller-leader-spectrum-result-{day}.pdf"'
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _result_page_request(request: HttpRequest, path: str) -> HttpRequest:
    """The request as if it had asked for the result page: the page prints
    its own address as the private link."""
    page_request = copy.copy(request)
    page_request.path = path
    page_request.META = {**request.META, "QUERY_STRING": ""}
    page_request.GET = QueryDict()
    return page_request


def _unavailable(request: HttpRequest, result: Result, error: pdf.PdfError) -> HttpResponse:
    context = {
        "result": result,
        "missing": isinstance(error, pdf.PdfUnavailable),
        "busy": isinstance(error, pdf.PdfBusy),
    }
    response = render(request, "assessments/pdf_unavailable.html", context, status=503)
    if not context["missing"]:
        response["Retry-After"] = "10" if context["busy"] else "60"
    return response
