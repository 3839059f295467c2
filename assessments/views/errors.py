"""Error pages that tell a person what went wrong in plain words."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        message = (
            "What your browser sent was too large to be answers to this assessment, "
            "so nothing was saved. Go back, reload the page and try again."
        )
    else:
        message = "The request could not be understood, so nothing was saved."
    return render(request, "400.html", {"message": message}, status=400)
