"""Middleware of the product's own."""

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.logging import REQUEST_ID

# What a proxy's id may look like (a UUID, a hex or base64 string): nothing
# that could break a log line or pass for another field.
_REQUEST_ID_SHAPE = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")


def _forget_request_id(**kwargs: object) -> None:
    REQUEST_ID.set(None)


class RequestId:
    """Give each request an id, on every log line it causes and on its response.

    The id comes from the proxy in front (its X-Request-ID) when there is one
    (DJANGO_BEHIND_TLS_PROXY), so its own log lines match; otherwise, or if the
    header is missing or malformed, a new one is made. The response carries it
    in X-Request-ID, where gunicorn's access log line reads it
    (config.logging.AccessJsonFormatter), and a person reporting a problem can
    quote it.

    The id stays set until the response is closed (request_finished), not
    just until this middleware returns: Django logs a 4xx or 5xx response
    ("Not Found: ...") after the whole middleware chain has run.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="forget-request-id")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "") if settings.BEHIND_TLS_PROXY else ""
        request_id = given if _REQUEST_ID_SHAPE.fullmatch(given) else uuid.uuid4().hex
        REQUEST_ID.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class MethodNotAllowedPage:
    """Give a 405 a page that says what happened.

    ``require_POST`` and ``require_http_methods`` answer with an empty body,
    which a browser shows as a blank page. The status and the Allow header
    stay as they were.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        allowed = response.get("Allow", "")
        page = render(
            request,
            "405.html",
            {"method": request.method, "allowed": allowed, "only_post": allowed == "POST"},
            status=405,
        )
        page["Allow"] = allowed
        return page
