from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.access import SignedInRequest, get_cohort_for_hr, hr_admin_required
from assessments.cohorts import services as cohort_services
from assessments.cohorts.exports import as_csv, as_json

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@hr_admin_required
@require_safe
def cohort_export(request: SignedInRequest, cohort_id: int, fmt: str) -> HttpResponse:
    """A cohort's results; every export is recorded with who made it and when."""
    if fmt not in CONTENT_TYPES:
        raise Http404(_("No such format."))
    cohort = get_cohort_for_hr(request, cohort_id)
    columns, rows = cohort_services.cohort_results_export(cohort=cohort, user=request.user, fmt=fmt)
    body = as_csv(cohort, columns, rows) if fmt == "csv" else as_json(cohort, columns, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"{slugify(cohort.name)}-results-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
