"""A person's browser over HTTP (`requests`): a cookie jar, keep-alive connections,
redirects not followed, so that every request is timed on its own."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import requests
from sandbox import BenchError

OUTAGE_TEXT = "Back in a moment"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Hit:
    """One HTTP request as the client saw it."""

    kind: str  # home, start, page, answer, submit, resubmit, result, ...
    method: str
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0 when no response came (connection error, timeout)
    error: str = ""
    outage_page: bool = False  # the body says "Back in a moment"
    retry_after: str = ""
    server: str = ""


class StepFailed(Exception):
    """A response that ends this attempt (the caller may start a new one)."""

    def __init__(self, hit: Hit) -> None:
        self.hit = hit
        super().__init__(f"{hit.method} {hit.kind} -> {hit.status or hit.error}")


class Browser:
    """With several servers, `route` "request" takes the next one for every request,
    "step" changes server at each step of an attempt (start, page 1, page 2, ...)."""

    def __init__(self, bases: list[tuple[str, str]], hits: list[Hit], timeout: float = 60) -> None:
        self.session = requests.Session()
        self.bases = bases  # [(name, base url)]
        self.route, self.turn, self.step = "request", 0, 0
        self.hits = hits
        self.timeout = timeout
        self.lock = threading.Lock()

    def _base(self, on: int | None) -> tuple[str, str]:
        if on is None and self.route == "step":
            on = self.step
        elif on is None:
            on, self.turn = self.turn, self.turn + 1
        return self.bases[on % len(self.bases)]

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        *,
        expect: Iterable[int] = (200,),
        session: requests.Session | None = None,
        on: int | None = None,
    ) -> requests.Response:
        name, base = self._base(on)
        began = time.monotonic()
        try:
            response = (session or self.session).request(
                method,
                base + path,
                data=data,
                allow_redirects=False,
                timeout=self.timeout,
                headers={"Referer": base + path} if method == "POST" else None,
            )
        except requests.RequestException as error:
            hit = Hit(kind, method, began, time.monotonic() - began, 0, type(error).__name__)
            hit.server = name
            self._record(hit)
            raise StepFailed(hit) from error
        hit = Hit(kind, method, began, time.monotonic() - began, response.status_code, server=name)
        if response.status_code >= 400:
            hit.outage_page = OUTAGE_TEXT in response.text
            hit.retry_after = response.headers.get("Retry-After", "")
        self._record(hit)
        if response.status_code not in expect:
            raise StepFailed(hit)
        return response

    def _record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)


def location(response: requests.Response) -> str:
    return response.headers.get("Location", "")


def csrf_token(response: requests.Response) -> str:
    """The CSRF token of the form in a page."""
    match = CSRF_RE.search(response.text)
    if not match:
        raise BenchError(f"no CSRF token in the page at {response.url}")
    return match.group(1)
