"""Error pages that tell a person what went wrong in plain words."""

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        message = _(
            "What your browser sent was too large to be answers to this assessment, "
            "so nothing was saved. Go back, reload the page and try again."
        )
    else:
        message = _("The request could not be understood, so nothing was saved.")
    return render(request, "400.html", {"message": message}, status=400)


def _standalone(template: str, status: int) -> HttpResponse:
    """Render without the request: context processors read the session and
    the user from the database, which may be what is failing."""
    return HttpResponse(get_template(template).render({}), status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database is out of reach: a clean page either way,
    and nothing half-written, since every write runs in a transaction."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = _standalone("503.html", 503)
        response["Retry-After"] = "30"
        return response
    return _standalone("500.html", 500)


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
