"""The fuzzing's machinery (tests/test_fuzz.py says what is fuzzed and what
must hold): a fingerprint of what is stored, building blocks of malformed
values and fields, and how a body is sent, in any transport."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_from_bytes, urlencode

from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from hypothesis import strategies as st

# --- The world the bodies are sent into ----------------------------------------------


@dataclass
class FuzzWorld:
    attempt_id: str  # alice's attempt in progress, with nothing answered yet
    pages: dict[int, list[int]]  # page number -> ids of its items
    foreign_items: list[int]  # items of another bank version
    result_token: str  # alice's result, taken in the cohort
    join_code: str
    cohort_id: int
    cohort_teams: list[int]
    outside_team: int  # a team of the organisation not in the cohort
    published_version: int
    draft_version: int
    sessions: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)

    def _repr_pretty_(self, printer, cycle) -> None:
        # hypothesis prints the fixtures with every failure: keep it short
        printer.text(f"FuzzWorld(attempt {self.attempt_id}, cohort {self.cohort_id})")

    @property
    def item_ids(self) -> list[int]:
        return [pk for ids in self.pages.values() for pk in ids]


def client_for(world: FuzzWorld, role: str) -> Client:
    """One client per role for the whole run (a new one loads the middleware
    again, which is slow); cookies are reset for every request."""
    client = world.clients.setdefault(role, Client(enforce_csrf_checks=False))
    client.cookies.clear()
    if role != "anonymous":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


# --- What is stored --------------------------------------------------------------------

TRACKED_APPS = ("assessments", "auth")


def _fingerprint_sql() -> tuple[list[str], str]:
    """One query: the row count of every table of the product and of accounts,
    and sentinels that move when a row is updated rather than added."""
    quote = connection.ops.quote_name
    labels, parts = [], []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in TRACKED_APPS:
            labels.append(model._meta.label)
            table = quote(model._meta.db_table)  # a model's own table, not input
            parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
    sentinels = {
        "answers (sum of values)": "SELECT SUM(value) FROM assessments_response",
        "attempts (last update)": "SELECT MAX(updated_at) FROM assessments_attempt",
        "sign-ins (last)": "SELECT MAX(last_login) FROM auth_user",
        "result shares": "SELECT COUNT(*) FROM assessments_resultshare",
    }
    labels += sentinels
    parts += [f"({sql})" for sql in sentinels.values()]
    return labels, "SELECT " + ", ".join(parts)


MODEL_LABELS = {label for label in _fingerprint_sql()[0] if "." in label}


def stored() -> dict[str, Any]:
    labels, sql = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


# --- Building blocks of malformed bodies --------------------------------------------

WEIRD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "3\x00",
        "0",
        "-1",
        "1.5",
        "3.0",
        " 3",
        "3 ",
        "٣",  # an Arabic-Indic three: str.isdigit() says yes, int() too
        "３",  # a full-width three
        "1e309",
        "nan",
        "inf",
        "99999999999999999999999999",
        "-9223372036854775809",
        "None",
        "null",
        "true",
        "[]",
        "{}",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "../../etc/passwd",
        "\u202e",
        "\ufeff",
        "\U0001f600",
    ]
)
NUMBERS = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
LONG = st.builds(lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(200, 4000))
# Any character but lone surrogates, which no browser can send.
TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
VALUE = st.one_of(TEXT, WEIRD, NUMBERS, LONG)
ABSURD_ITEM_KEY = st.one_of(
    st.integers(-(2**70), 2**70).map(lambda n: f"item_{n}"),
    TEXT.map(lambda text: f"item_{text}"),
    st.sampled_from(["item_", "item_٣", "item_0x10", "item_1_2", "ITEM_1", "item_ 1"]),
)
Pairs = list[tuple[str, str]]


def noise(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Pairs]:
    """Random fields, some repeated: the keys a form expects, and others."""
    key = st.one_of(keys, TEXT, ABSURD_ITEM_KEY)
    single = st.tuples(key, VALUE).map(lambda pair: [pair])
    repeated = st.tuples(key, st.lists(VALUE, min_size=2, max_size=4)).map(
        lambda kv: [(kv[0], value) for value in kv[1]]
    )
    return st.lists(st.one_of(single, repeated), max_size=8).map(
        lambda groups: [pair for group in groups for pair in group]
    )


def invalid_value(valid: set[str]) -> st.SearchStrategy[str]:
    return VALUE.filter(lambda value: value not in valid)


def _as_int(text: str) -> int | None:
    """What Django makes of an id: int() takes " 1", "1_0" and "١" too."""
    try:
        return int(text)
    except ValueError:
        return None


def not_an_id_of(ids: list[int]) -> Callable[[str], bool]:
    return lambda text: _as_int(text) not in ids


# --- How a body is sent ------------------------------------------------------------------


@dataclass
class Body:
    """What one request sends; ``poison`` goes last, so it wins where a form
    reads the last of repeated keys."""

    transport: str
    pairs: Pairs = field(default_factory=list)
    poison: Pairs = field(default_factory=list)
    raw: bytes = b""
    content_type: str = ""
    files: dict[str, list[SimpleUploadedFile]] = field(default_factory=dict)

    def send(self, client: Client, url: str):
        pairs = self.pairs + self.poison
        if self.transport == "multipart":
            data: dict[str, list] = {}
            for key, value in pairs:
                data.setdefault(key, []).append(value)
            for key, uploads in self.files.items():
                data.setdefault(key, []).extend(uploads)
            return client.post(url, data)
        if self.transport == "urlencoded":
            payload = urlencode(pairs).encode()
            content_type = "application/x-www-form-urlencoded"
        else:  # raw bytes, the poison still readable at the end of a form body
            payload = self.raw + b"&" + urlencode(self.poison).encode()
            content_type = self.content_type
        return client.generic("POST", url, payload, content_type=content_type)


CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=no-such-charset",
        "multipart/form-data",
        "multipart/form-data; boundary=xyz",
        "multipart/form-data; boundary=",
        "application/json",
        "text/plain",
        "text/csv",
        "application/octet-stream",
        "garbage",
        "",
    ]
)


def raw_body(fields: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Bytes that are not UTF-8, forms with undecodable escapes, JSON, a body
    over the size limit, and more fields than the limit."""
    undecodable_form = st.lists(
        st.tuples(st.one_of(fields, ABSURD_ITEM_KEY), st.binary(min_size=1, max_size=20)),
        max_size=6,
    ).map(lambda pairs: "&".join(f"{k}={quote_from_bytes(v)}" for k, v in pairs).encode())
    return st.one_of(
        st.binary(max_size=2000),
        undecodable_form,
        st.binary(min_size=1, max_size=40).map(lambda b: b"item_1=" + b + b"\xff\xfe"),
        st.text(max_size=200).map(lambda text: text.encode("utf-16")),
        st.builds(lambda n: b"a=" + b"x" * n, st.integers(65 * 1024, 80 * 1024)),
        st.integers(201, 400).map(lambda n: "&".join(f"f{i}=1" for i in range(n)).encode()),
        st.just(b'{"item_1": 3}'),
    )


def body(fields: list[str], poison: st.SearchStrategy[Pairs]) -> st.SearchStrategy[Body]:
    """A malformed body for a form with ``fields``, in any transport."""
    keys = st.sampled_from(fields) if fields else TEXT
    return st.one_of(
        st.builds(Body, st.just("urlencoded"), noise(keys), poison),
        st.builds(Body, st.just("multipart"), noise(keys), poison),
        st.builds(
            Body,
            st.just("raw"),
            poison=poison,
            raw=raw_body(keys),
            content_type=CONTENT_TYPES,
        ),
    )
