"""Recording who read a page that shows people's names or email addresses."""

from collections.abc import Callable
from functools import wraps
from typing import cast

from django.http import HttpRequest, HttpResponse

from assessments.audit.services import Action, audit_record

View = Callable[..., HttpResponse]


def names_read(request: HttpRequest, target: str) -> None:
    """Record that the person asking was shown names on this page."""
    page = request.resolver_match.view_name if request.resolver_match else ""
    audit_record(action=Action.NAMES_READ, actor=request.user, target=target, detail={"page": page})


def records_names_read(kind: str, id_kwarg: str = "") -> Callable[[View], View]:
    """Record each page of names the view answers with.

    Only a 200 is recorded: a refusal, a redirect after an action or a
    not-found shows no names. The target is ``kind`` (a model's name) and
    the id the URL gives as ``id_kwarg`` (by default ``<kind>_id``), as in
    ``cohort:3``, or ``kind`` alone for a page of every one (the teams).
    Put it below the role check, so that only the people the page is for
    reach it.
    """
    id_kwarg = id_kwarg or f"{kind}_id"

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                key = kwargs.get(id_kwarg)
                names_read(request, kind if key is None else f"{kind}:{key}")
            return response

        return cast(View, wrapper)

    return decorator
