"""The journey every HTTP benchmark drives: GET / (the CSRF cookie), POST the start,
for each of the 4 pages a GET and a POST of 6 answers from 1 to 5, then the result
page; and many clients doing it at once, each attempt as a new person."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from client import Browser, Hit, StepFailed, csrf_token, location
from invariants import AttemptRecord
from sandbox import BenchError

PAGES, ITEMS_PER_PAGE = 4, 6
ITEM_RE = re.compile(r'name="(item_\d+)"')
ATTEMPT_RE = re.compile(r"/assessment/([0-9a-f-]{36})/pages/1/$")
RESULT_RE = re.compile(r"/results/([A-Za-z0-9_-]+)/$")


def take_attempt(
    browser: Browser, record: AttemptRecord, rng: random.Random, *, double_submit: str = ""
) -> AttemptRecord:
    """Start, answer every page, see the result; StepFailed at the first unexpected
    response (`record` keeps what was done). `double_submit` sends the last page again:
    "sequential" once the first answer came, "concurrent" twice at the same moment."""
    browser.step = 0
    browser.request("home", "GET", "/")
    data = {"csrfmiddlewaretoken": browser.session.cookies.get("csrftoken") or ""}
    response = browser.request("start", "POST", "/assessment/start/", data, expect=(302,))
    match = ATTEMPT_RE.search(location(response))
    if not match:
        raise BenchError(f"start redirected to {location(response)!r}")
    record.attempt_id = match.group(1)
    path = f"/assessment/{record.attempt_id}/pages/"
    for number in range(1, PAGES + 1):
        browser.step = number
        data = answer_page(browser, f"{path}{number}/", record, rng)
        last = number == PAGES
        response = browser.request(
            "submit" if last else "answer", "POST", f"{path}{number}/", data, expect=(302,)
        )
        if not (last or location(response).endswith(f"{path}{number + 1}/")):
            raise BenchError(f"page {number} redirected to {location(response)!r}")
    record.token = result_token(response)
    record.final_post_answered = True
    browser.step = PAGES + 1  # with two servers, the resubmit goes to the other one
    if double_submit:
        record.double_submit = double_submit
        record.double_tokens = resubmit(browser, f"{path}{PAGES}/", data, double_submit)
    browser.request("result", "GET", f"/results/{record.token}/")
    record.completed = True
    return record


def answer_page(
    browser: Browser, path: str, record: AttemptRecord, rng: random.Random
) -> dict[str, str]:
    """GET a question page; the form body answering its 6 radio groups at random."""
    page = browser.request("page", "GET", path)
    names = list(dict.fromkeys(ITEM_RE.findall(page.text)))
    if len(names) != ITEMS_PER_PAGE:
        raise BenchError(f"{path}: {len(names)} radio groups")
    data = {"csrfmiddlewaretoken": csrf_token(page), "direction": "next"}
    for name in names:
        record.answers[int(name.removeprefix("item_"))] = value = rng.randint(1, 5)
        data[name] = str(value)
    return data


def result_token(response: requests.Response) -> str:
    match = RESULT_RE.search(location(response))
    if not match:
        raise BenchError(f"the last page redirected to {location(response)!r}, not a result")
    return match.group(1)


def resubmit(browser: Browser, path: str, data: dict[str, str], how: str) -> list[str]:
    """The last page again: after the first answer, or as two POSTs at the same
    moment from two connections with the same cookies (a double click)."""
    if how == "sequential":
        return [result_token(browser.request("resubmit", "POST", path, data, expect=(302,)))]
    tokens: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        with requests.Session() as twin:
            twin.cookies.update(browser.session.cookies)
            try:
                barrier.wait(timeout=10)
                response = browser.request(
                    "resubmit", "POST", path, data, expect=(302,), session=twin
                )
                tokens.append(result_token(response))
            except BaseException as error:  # noqa: BLE001 - handed to the caller below
                errors.append(error)

    run_threads([send, send])
    if errors:
        raise errors[0]
    return tokens


def run_threads(targets: list[Callable[[], object]]) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@dataclass
class Run:
    """What many clients did at once."""

    hits: list[Hit] = field(default_factory=list)
    records: list[AttemptRecord] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_clients(
    base: str,
    clients: int,
    attempts: int,
    double: Callable[[int], str],
    *,
    retry_pause: float | None = None,
    deadline: float = float("inf"),
) -> Run:
    """`clients` threads each taking `attempts` attempts, each as a new person;
    `double(n)` says how attempt n sends its last page again. A failed attempt is
    given up, or with `retry_pause` taken again from the start until `deadline`."""
    run = Run()

    def client(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 - answers, not secrets
        browser = Browser([("A", base)], run.hits, timeout=60 if retry_pause is None else 30)
        mine: list[AttemptRecord] = []
        for n in range(attempts):
            while True:
                mine.append(record := AttemptRecord())
                browser.session.cookies.clear()  # a new person
                try:
                    take_attempt(browser, record, rng, double_submit=double(n))
                    break
                except (StepFailed, BenchError) as error:
                    record.failure = str(error)
                if retry_pause is None or time.monotonic() > deadline:
                    with run.lock:
                        run.failures.append(f"client {number} attempt {n}: {record.failure}")
                    break
                time.sleep(retry_pause)
        with run.lock:
            run.records.extend(mine)

    began = time.monotonic()
    run_threads([lambda number=number: client(number) for number in range(clients)])
    run.seconds = time.monotonic() - began
    return run
