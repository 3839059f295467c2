"""Middleware of the product's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
