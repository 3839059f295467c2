"""Every page of every role, asked for in German, is in German.

The walk is the leak probe's (tests/test_leak_probe.py): every URL pattern of
the project, filled with the probe world's ids, for every role that may read
it. A page passes when it says it is German (``<html lang="de">`` and
``Content-Language: de``) and none of the English sentences the catalogue
translates is left on it, outside the parts marked as another language
(the article's quotes, a bank's text that has no German).
"""

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from assessments import errors
from ratelimits import limits
from tests.probe import client_for, url_for
from tests.test_catalogues import catalogue
from tests.test_leak_probe import ENDPOINTS, OK, ROLES, access_rule, answer_for
from tests.test_leak_probe import world as world  # noqa: F401, the module's fixture

MO = settings.APP_DIR / "locale" / "de" / "LC_MESSAGES" / "django.mo"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class GermanText(HTMLParser):
    """The text a reader sees (and alt/aria-label/title/placeholder text),
    leaving out elements marked as in another language, scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: does it hide its text?
        self.parts: list[str] = []

    def hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other = (values.get("lang") or "de").split("-")[0] not in ("de", "")
        hides = (
            tag in ("script", "style", "template")
            or (other and tag != "html")
            or values.get("translate") == "no"  # names, such as the time zones'
        )
        if not self.hidden() and not hides:
            for name in ("alt", "aria-label", "title", "placeholder"):
                if values.get(name):
                    self.parts.append(str(values[name]))
        if tag not in VOID:
            self.stack.append(hides)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden():
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def english_sentences() -> list[str]:
    """The catalogue's English texts of four words or more that German
    renders differently, with their placeholders and markup cut out: each
    piece left is text the English page would show."""
    pieces = set()
    for msgid, msgstr in catalogue(MO).items():
        if isinstance(msgid, tuple):  # a plural's (msgid, n)
            msgid = msgid[0]
        if not msgid or msgid == msgstr or "\x04" in msgid:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{\{.*?\}\}", html.unescape(msgid)):
            piece = " ".join(piece.split()).strip(" .,:;–-")
            if len(piece.split()) >= 4:
                pieces.add(piece)
    return sorted(pieces)


ENGLISH = english_sentences() if MO.exists() else []
# Words German never uses and English can hardly do without: one on a German
# page is text nobody marked for translation, which the catalogue cannot know.
ENGLISH_WORDS = re.compile(r"\b(the|and|your|you|with|this|that|is|are|of|to|for|not|has)\b")


def german_problems(response, url: str) -> list[str]:
    body = response.content.decode()
    problems = []
    if not re.search(r'<html lang="de"', body):
        problems.append('no <html lang="de">')
    if response.get("Content-Language") != "de":
        problems.append(f"Content-Language {response.get('Content-Language')!r}")
    # The switcher offers the other language, never the page's own (a view's
    # own context once hid the switcher's list behind a name of its own).
    offered = re.findall(r'name="language" value="(\w+)"', body)
    if offered and offered != ["en"]:
        problems.append(f"the language switcher offers {offered}")
    parser = GermanText()
    parser.feed(body)
    text = parser.text()
    left = [sentence for sentence in ENGLISH if sentence in text]
    if left:
        problems.append(f"English left: {left[:5]}")
    unmarked = [text[max(0, m.start() - 40) : m.end() + 40] for m in ENGLISH_WORDS.finditer(text)]
    if unmarked:
        problems.append(f"English words, perhaps unmarked: {unmarked[:5]}")
    return [f"{url}: {problem}" for problem in problems]


def readable_pages(world) -> dict[str, list[str]]:
    """For each role, the URLs it may GET and that answer it with a page."""
    pages: dict[str, list[str]] = {role: [] for role in ROLES}
    for endpoint in ENDPOINTS:
        if endpoint.route.startswith(("admin/", "healthz/")):
            continue  # the admin is Django's own, translated by Django; health is JSON
        rules = access_rule(endpoint.route)
        for role in ROLES:
            if rules[role] == OK and answer_for(endpoint, role).get == 200:
                pages[role].append(url_for(world, endpoint))
    return pages


def test_the_walk_reaches_the_pages_of_every_role(world):
    pages = readable_pages(world)
    assert len(pages["anonymous"]) >= 8
    assert len(pages["participant_a"]) >= 12
    assert len(pages["manager_a"]) >= 10
    assert len(pages["hr_admin"]) >= 40


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_is_in_german(db, world, role):
    problems = []
    for url in readable_pages(world)[role]:
        response = client_for(world, role).get(url, headers={"accept-language": "de"})
        assert response.status_code == 200, (url, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            problems += german_problems(response, url)
        elif response["Content-Type"].startswith("text/csv"):
            assert response.get("Content-Language") == "de", url
    assert not problems, "\n".join(problems)


def test_the_same_pages_in_english_say_so(db, world):
    client = client_for(world, "participant_a")
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en"' in response.content.decode()
    assert response["Content-Language"] == "en"
    assert response["Vary"].count("Accept-Language") == 1


@pytest.mark.parametrize("status", [400, 403, 404, 405, 429, 500, 503])
def test_error_pages_are_in_german(db, status):
    client = Client()
    headers = {"accept-language": "de"}
    response: Any  # the test client's response, or a view's own HttpResponse
    if status == 404:
        response = client.get("/no-such-page/", headers=headers)
    elif status == 403:
        response = client_as_participant().get("/hr/", headers=headers)
    elif status == 405:
        response = client.get(reverse("preferences:language"), headers=headers)
    else:
        request = RequestFactory().get("/", headers=headers)
        request.user = AnonymousUser()
        request.session = SessionStore()
        with translation.override("de"):
            if status == 400:
                response = errors.bad_request(request)
            elif status == 429:
                response = limits.too_many_requests(request, limits.Refusal("start", 10, 120), "-")
            elif status == 500:
                response = errors.server_error(request)
            else:
                try:
                    raise OperationalError("the database is away")
                except OperationalError:
                    response = errors.server_error(request)
        response["Content-Language"] = "de"  # LocaleMiddleware's part, not run here
    assert response.status_code == status
    assert not german_problems(response, str(status))


def client_as_participant() -> Client:
    from tests import cast

    client = Client()
    client.force_login(cast.participant("zoe"))  # the probe world has the usual cast
    return client
