"""The journey of the HTTP benchmarks, as a browser makes it with `requests` (a cookie jar,
keep-alive connections, redirects not followed so that each request is timed on its own):
GET / (the CSRF cookie), POST the start, for each page a GET and a POST of its answers,
each a random choice among the radio values the page offers (1 to 5 for a statement, a
response's number for a scenario), then the result page; and many clients taking it at once.
The number of pages is read from the first page: the current default bank decides it."""

import functools
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from invariants import AttemptRecord
from sandbox import BenchError

OUTAGE_TEXT = "Back in a moment"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEMS_PER_PAGE = 6
CHOICE_RE = re.compile(r'name="(item_\d+)" value="(\d+)"')
PAGE_RE = re.compile(r"Page (\d+) of (\d+)")
ATTEMPT_RE = re.compile(r"/assessment/([0-9a-f-]{36})/pages/1/$")
RESULT_RE = re.compile(r"/results/([\w-]+)/$")


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
            send: dict[str, Any] = {"data": data, "allow_redirects": False, "timeout": self.timeout}
            url = base + path
            response = self.session.request(hit.method, url, headers={"Referer": url}, **send)
            hit.status = response.status_code
            if hit.status >= 400:  # reading the body of every answer would slow the clients
                clean = response.headers.get("Retry-After") == "30" and OUTAGE_TEXT in response.text
                hit.clean_outage = clean
        except requests.RequestException as error:
            hit.error = type(error).__name__
        hit.seconds = time.monotonic() - hit.started
        self.hits.append(hit)  # one list for many threads: list.append is atomic
        if hit.status not in (expect or ((200,) if data is None else (302,))):
            raise StepFailed(f"{hit.method} {kind} -> {hit.status or hit.error}")
        return response


def csrf_token(response: requests.Response) -> str:
    """The CSRF token of the form in a page."""
    if not (match := CSRF_RE.search(response.text)):
        raise BenchError(f"no CSRF token in the page at {response.url}")
    return match.group(1)


def start(browser: Browser, record: AttemptRecord) -> None:
    """GET the home page and start an attempt, as a new person would."""
    browser.request("home", "/")
    data = {"csrfmiddlewaretoken": browser.session.cookies.get("csrftoken") or ""}
    started = browser.request("start", "/assessment/start/", data).headers["Location"]
    if not (match := ATTEMPT_RE.search(started)):
        raise BenchError(f"start redirected to {started!r}")
    record.attempt_id = match.group(1)


def page_form(text: str) -> tuple[int, dict[str, list[str]]]:
    """A question page's number of pages and its radio groups' values by name."""
    if not (match := PAGE_RE.search(text)):
        raise BenchError("a question page without 'Page N of M'")
    groups: dict[str, list[str]] = {}
    for name, value in CHOICE_RE.findall(text):
        groups.setdefault(name, []).append(value)
    return int(match.group(2)), groups


def answered_page(
    browser: Browser, record: AttemptRecord, rng: random.Random, number: int
) -> tuple[str, dict[str, str]]:
    """GET page ``number`` and fill its form with random answers (kept in
    ``record``, which learns the number of pages too): the page's path and
    the body to POST."""
    path = f"/assessment/{record.attempt_id}/pages/{number}/"
    page = browser.request("page", path)
    record.pages, groups = page_form(page.text)
    if not 1 <= len(groups) <= ITEMS_PER_PAGE:
        raise BenchError(f"page {number}: {len(groups)} radio groups")
    data = {"csrfmiddlewaretoken": csrf_token(page), "direction": "next"}
    for name, values in sorted(groups.items()):
        data[name] = value = rng.choice(values)
        record.answers[int(name.removeprefix("item_"))] = int(value)
    return path, data


def take_attempt(browser: Browser, record: AttemptRecord, rng: random.Random, double: str) -> None:
    """Start, answer every page, see the result; StepFailed at the first unexpected answer
    (`record` keeps what was done). `double` sends the last page again: "sequential"
    once the first answer came, "concurrent" twice at the same moment (a double click)."""
    browser.step = 0
    start(browser, record)
    number = 0
    while number == 0 or number < record.pages:
        number += 1
        browser.step = number
        path, data = answered_page(browser, record, rng, number)
        kind = "submit" if number == record.pages else "answer"
        answered = browser.request(kind, path, data).headers["Location"]
    record.token, record.final_post_answered = result_token(answered), True
    browser.step = number + 1  # with two servers, the resubmit and the result go to the other
    if double:
        record.double_submit, record.double_tokens = double, resubmit(browser, path, data, double)
    browser.request("result", f"/results/{record.token}/")
    record.completed = True


def result_token(url: str) -> str:
    if not (match := RESULT_RE.search(url)):
        raise BenchError(f"the last page redirected to {url!r}, not to a result")
    return match.group(1)


def resubmit(browser: Browser, path: str, data: dict[str, str], how: str) -> list[str]:
    """The last page again, after the first answer or twice at once from two connections
    with the same cookies; the result tokens answered."""
    if how == "sequential":
        return [result_token(browser.request("resubmit", path, data).headers["Location"])]
    tokens: list[str] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        twin = Browser(browser.bases, browser.hits, browser.timeout)
        twin.session.cookies.update(browser.session.cookies)
        twin.route, twin.step = browser.route, browser.step
        try:
            barrier.wait(timeout=10)
            tokens.append(result_token(twin.request("resubmit", path, data).headers["Location"]))
        except Exception as error:  # noqa: BLE001 - raised in the caller's thread below
            errors.append(error)

    run_threads([send, send])
    if errors:
        raise errors[0]
    return tokens


def run_threads(targets: list[Callable[[], object]]) -> float:
    """Each target in a thread of its own; the seconds until all have finished."""
    began, threads = time.monotonic(), [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


@dataclass
class Run:
    """What many clients did at once; `failures` are the attempts given up."""

    hits: list[Hit] = field(default_factory=list)
    records: list[AttemptRecord] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_clients(
    base: str, clients: int, attempts: int, double: Callable[[int], str], retry: float = -1
) -> Run:
    """`clients` threads taking `attempts` attempts each as new people, attempt n sending its
    last page again as `double(n)` says. A failed attempt is given up, or with `retry` >= 0
    taken again from the start after `retry` seconds, for up to 5 minutes."""
    run, deadline = Run(), time.monotonic() + 300

    def client(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 - answers, not secrets
        browser = Browser([("A", base)], run.hits, timeout=60 if retry < 0 else 30)
        for n in range(attempts):
            while True:
                run.records.append(record := AttemptRecord())
                browser.session.cookies.clear()  # a new person
                try:
                    take_attempt(browser, record, rng, double(n))
                    break
                except (StepFailed, BenchError) as error:
                    record.failure = str(error)
                if retry < 0 or time.monotonic() > deadline:
                    run.failures.append(f"client {number} attempt {n}: {record.failure}")
                    break
                time.sleep(retry)

    run.seconds = run_threads([functools.partial(client, number) for number in range(clients)])
    return run
