"""A request id on every response and every log line of its request, gunicorn's
access line included; taken from the proxy in front, made here otherwise."""

import json
import logging
import re
from collections.abc import Iterator

import pytest
import requests

from config.logging import REQUEST_ID, AccessJsonFormatter, JsonFormatter, RequestIdFilter
from tests.gunicorn_server import gunicorn

MADE_HERE = re.compile(r"[0-9a-f]{32}")


class Collect(logging.Handler):
    """The records that reach it, through the same filter as the console handler."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def collected() -> Iterator[Collect]:
    handler = Collect()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def test_it_gives_each_response_an_id_of_its_own(client):
    first, second = client.get("/no-such-page/"), client.get("/no-such-page/")
    assert MADE_HERE.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_it_takes_the_proxys_id_behind_the_proxy(client, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy_id = "0f8fad5b-d9cb-469f-a165-70867728950e"
    response = client.get("/no-such-page/", headers={"X-Request-ID": proxy_id})
    assert response["X-Request-ID"] == proxy_id


@pytest.mark.parametrize(
    "forged",
    ["two words", 'quote"d', "x" * 129, "", "naïve"],
)
def test_it_replaces_an_id_that_could_break_a_log_line(client, settings, forged):
    settings.BEHIND_TLS_PROXY = True
    response = client.get("/no-such-page/", headers={"X-Request-ID": forged})
    assert MADE_HERE.fullmatch(response["X-Request-ID"])


def test_without_a_proxy_a_clients_id_is_not_taken(client, settings):
    settings.BEHIND_TLS_PROXY = False
    response = client.get("/no-such-page/", headers={"X-Request-ID": "chosen-by-client"})
    assert MADE_HERE.fullmatch(response["X-Request-ID"])


def test_a_line_logged_after_the_middleware_returned_still_carries_the_id(client, collected):
    # Django logs "Not Found" once the whole middleware chain has answered.
    response = client.get("/no-such-page/")
    not_found = [r for r in collected.records if r.getMessage() == "Not Found: /no-such-page/"]
    assert len(not_found) == 1
    assert not_found[0].request_id == response["X-Request-ID"]


def test_the_id_is_forgotten_once_the_response_is_done(client, collected):
    client.get("/no-such-page/")
    assert REQUEST_ID.get() is None
    logging.getLogger("assessments").warning("between requests")
    assert not hasattr(collected.records[-1], "request_id")


def test_a_json_line_carries_the_id_and_null_outside_a_request():
    handler = Collect()
    handler.setFormatter(JsonFormatter())

    def line(message: str) -> dict:
        record = logging.makeLogRecord({"name": "assessments", "levelname": "INFO", "msg": message})
        assert handler.filter(record)
        return json.loads(handler.format(record))

    assert line("outside")["request_id"] is None
    token = REQUEST_ID.set("abc-123")
    try:
        assert line("inside")["request_id"] == "abc-123"
    finally:
        REQUEST_ID.reset(token)


def test_an_access_line_is_json_with_gunicorns_fields_and_the_responses_id():
    # As gunicorn hands them over: response headers as "{name}o", its quotes escaped.
    atoms = {
        "h": "172.18.0.5",
        "m": "POST",
        "U": "/assessment/7/page/2/",
        "q": "",
        "s": "302",
        "B": 0,
        "D": 48_250,
        "a": 'Mozilla/5.0 \\"quoted\\"',
        "f": "-",
        "{x-request-id}o": "abc-123",
        "{x-forwarded-for}i": "203.0.113.9",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s", (atoms,), None)
    entry = json.loads(AccessJsonFormatter().format(record))
    assert entry["request_id"] == "abc-123"
    assert (entry["method"], entry["path"], entry["status"]) == (
        "POST",
        "/assessment/7/page/2/",
        302,
    )
    assert entry["duration_ms"] == 48.25
    assert entry["user_agent"] == 'Mozilla/5.0 "quoted"'
    assert entry["forwarded_for"] == "203.0.113.9"
    assert entry["referer"] is None


def test_every_line_under_gunicorn_is_json_and_a_requests_lines_share_its_id(tmp_path):
    headers = {"Host": "localhost", "X-Forwarded-Proto": "https"}
    with gunicorn(tmp_path, DJANGO_ALLOWED_HOSTS="localhost") as server:
        proxied = {**headers, "X-Request-ID": "from-the-proxy-1"}
        given = requests.get(f"{server.base}/no-such-page/", headers=proxied, timeout=10)
        made = requests.get(f"{server.base}/no-such-page/?second=1", headers=headers, timeout=10)
    assert given.status_code == made.status_code == 404
    assert given.headers["X-Request-ID"] == "from-the-proxy-1"
    entries = []
    for line in server.log.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line: {line!r}")
    by_id: dict[str | None, set[str]] = {}
    for entry in entries:
        by_id.setdefault(entry["request_id"], set()).add(entry["logger"])
    # The app's "Not Found" and gunicorn's access line, tied by the id.
    assert by_id["from-the-proxy-1"] == {"django.request", "gunicorn.access"}
    assert by_id[made.headers["X-Request-ID"]] == {"django.request", "gunicorn.access"}
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    pages = {(e["status"], e["query"]) for e in access if e["path"] == "/no-such-page/"}
    assert pages == {(404, ""), (404, "second=1")}
    booted = [e for e in entries if e["logger"] == "gunicorn.error" and "Booting" in e["message"]]
    assert booted
