"""A person's browser over HTTP (`requests`): a cookie jar, keep-alive connections, and
redirects not followed, so that every request is timed on its own."""

import re
import time
from dataclasses import dataclass

import requests
from sandbox import BenchError

OUTAGE_TEXT = "Back in a moment"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Hit:
    """One request as the client saw it; status 0 when nothing answered."""

    kind: str  # home, start, page, answer, submit, resubmit, result, login, ...
    method: str
    started: float  # time.monotonic()
    server: str
    seconds: float = 0.0
    status: int = 0
    error: str = ""
    clean_outage: bool = False  # the "Back in a moment" page with Retry-After: 30


class StepFailed(Exception):
    """A response that ends this attempt (the caller may start a new one)."""


class Browser:
    """With several servers, `route` "request" takes the next one for every request,
    "step" the one for the attempt's step (start, page 1, page 2, ...)."""

    def __init__(self, bases: list[tuple[str, str]], hits: list[Hit], timeout: float = 60) -> None:
        self.session, self.bases, self.hits, self.timeout = requests.Session(), bases, hits, timeout
        self.route, self.turn, self.step = "request", 0, 0

    def request(
        self, kind: str, path: str, data: dict[str, str] | None = None, *expect: int
    ) -> requests.Response:
        """GET, or POST `data`; StepFailed unless the status is in `expect` (200 or 302)."""
        if self.route == "step":
            self.turn = self.step
        name, base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        hit = Hit(kind, "GET" if data is None else "POST", time.monotonic(), name)
        try:
            response = self.session.request(
                hit.method,
                base + path,
                data=data,
                headers={"Referer": base + path},
                allow_redirects=False,
                timeout=self.timeout,
            )
            hit.status = response.status_code
            hit.clean_outage = (
                OUTAGE_TEXT in response.text and response.headers.get("Retry-After") == "30"
            )
        except requests.RequestException as error:
            hit.error = type(error).__name__
        hit.seconds = time.monotonic() - hit.started
        self.hits.append(hit)  # one list for many threads: list.append is atomic
        if hit.status not in (expect or ((200,) if data is None else (302,))):
            raise StepFailed(f"{hit.method} {kind} -> {hit.status or hit.error}")
        return response


def location(response: requests.Response) -> str:
    return response.headers.get("Location", "")


def csrf_token(response: requests.Response) -> str:
    """The CSRF token of the form in a page."""
    if not (match := CSRF_RE.search(response.text)):
        raise BenchError(f"no CSRF token in the page at {response.url}")
    return match.group(1)
