"""The leak probe's machinery (tests/test_leak_probe.py holds its rules,
tests/probe_world.py its world).

Every URL pattern of the project, found by walking the resolver, with its
full route and its namespaced name; the route filled with a world's ids; a
snapshot of every row the product keeps; one client per role; and the check
of an answer against the one expected.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

# --- Every URL pattern ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    route: str  # the full route, as ResolverMatch.route spells it
    kwargs: tuple[str, ...]  # the names captured along the way, in order
    name: str | None = None  # namespaced, as reverse() takes it: "cohorts:detail"

    def __str__(self) -> str:
        return self.name or self.route or "(home)"


def _names(pattern) -> list[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def endpoints(
    resolver: URLResolver | None = None, prefix: str = "", names=(), namespace: str = ""
) -> Iterator[Endpoint]:
    """Every URL pattern below ``resolver``, with its full route, captured names
    and namespaced name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        part = str(pattern.pattern)
        # How Django joins routes (URLResolver._join_route).
        route = prefix + part.removeprefix("^") if prefix else part
        captured = (*names, *_names(pattern))
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from endpoints(pattern, route, captured, inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else None
            yield Endpoint(route, captured, name)


# --- The world a URL is filled from --------------------------------------------------


@dataclass
class World:
    values: dict[str, str]  # converter name -> value, for every route
    values_by_prefix: dict[str, dict[str, str]]  # the same word meaning different keys
    sessions: dict[str, str]  # role -> session key
    post_bodies: dict[str, dict] = field(default_factory=dict)  # URL name -> its user's POST
    private_markers: list[str] = field(default_factory=list)  # only participant A may see


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def url_values(world: World, endpoint: Endpoint) -> dict[str, str]:
    """The value of each name ``endpoint`` captures: by the longest prefix of
    its route that gives one, else the world's."""
    return {name: _value(world, endpoint, name) for name in endpoint.kwargs}


def _value(world: World, endpoint: Endpoint, name: str) -> str:
    prefixes = [p for p in world.values_by_prefix if endpoint.route.startswith(p)]
    for prefix in sorted(prefixes, key=len, reverse=True):
        if name in world.values_by_prefix[prefix]:
            return world.values_by_prefix[prefix][name]
    if name in world.values:
        return world.values[name]
    pytest.fail(
        f"The URL pattern {endpoint.route!r} takes {name!r}, which the leak probe has no "
        "value for. Add an object of participant A, team A or their cohort to the world "
        "(World.values, or values_by_prefix when the name means different things)."
    )


def _fill_regex_groups(route: str, values: dict[str, str]) -> str:
    """Replace each (?P<name>...) group, nested parentheses and all, by its value."""
    out, i = [], 0
    while (start := route.find("(?P<", i)) != -1:
        out.append(route[i:start])
        name = route[start + 4 : route.index(">", start)]
        depth, j = 0, start
        while True:
            if route[j] == "\\":
                j += 2
                continue
            depth += {"(": 1, ")": -1}.get(route[j], 0)
            j += 1
            if depth == 0:
                break
        out.append(values[name])
        i = j
    out.append(route[i:])
    return "".join(out)


def url_for(world: World, endpoint: Endpoint) -> str:
    values = url_values(world, endpoint)
    path = _fill_regex_groups(endpoint.route, values)
    path = ROUTE_PARAMETER.sub(lambda m: values[m["name"]], path)
    path = re.sub(r"(?<!\\)[\^$]", "", path)
    path = "/" + re.sub(r"\\(.)", r"\1", path)
    # The URL must lead back to the very pattern it was built from.
    match = resolve(path)
    assert match.route == endpoint.route, f"{path} resolves to {match.route!r}"
    return path


# --- Every row ---------------------------------------------------------------------------

PROBED_APPS = ("assessments", "auth", "axes")


def _probed_tables() -> dict[str, str]:
    """Label -> SQL that reads every row of a table, in a stable order."""
    quote = connection.ops.quote_name
    # Names of the models' own tables and columns, not input.
    return {
        model._meta.label: (
            f"SELECT * FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"ORDER BY {quote(str(model._meta.pk.column))}"
        )
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROBED_APPS
    }


def database_state() -> dict[str, list[tuple]]:
    """Every row of the product's tables (and accounts, roles, sign-in
    records). Plain SQL: the ORM would take several times as long, and this
    runs twice per URL."""
    state = {}
    with connection.cursor() as cursor:
        for label, sql in _probed_tables().items():
            cursor.execute(sql)
            state[label] = cursor.fetchall()
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# --- Sending ---------------------------------------------------------------------------

_CLIENTS: dict[str, Client] = {}


def client_for(world: World, role: str) -> Client:
    """One client per role, reused: a new Client loads the middleware again,
    and WhiteNoise's scan of the static files makes that slow. Its cookies
    are reset before each request, so no request sees another's."""
    client = _CLIENTS.setdefault(role, Client(enforce_csrf_checks=False))
    client.cookies = SimpleCookie()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


# A status code, or the path a 302 leads to: {name} stands for a value of the
# world or of the URL, {here} for the URL asked for (as a sign-in page's next),
# {new} for the id of something the request made.
Expected = int | str


@dataclass(frozen=True)
class Probe:
    method: str
    role: str
    expected: Expected
    data: dict | None = None

    def describe(self, url: str) -> str:
        body = f" with {self.data}" if self.data else ""
        return f"{self.method.upper()} {url}{body} as {self.role}"

    def send(self, world: World, url: str):
        client = client_for(world, self.role)
        if self.method == "get":
            return client.get(url)
        return client.post(url, self.data or {})


def _location_pattern(expected: str, values: dict[str, str], url: str) -> str:
    parts = re.split(r"\{(\w+)\}", expected)
    for i in range(1, len(parts), 2):
        name = parts[i]
        if name == "new":
            parts[i] = r"[0-9a-f-]{36}"
        elif name == "here":
            parts[i] = re.escape(quote(url, safe="/"))
        else:
            parts[i] = re.escape(values[name])
    for i in range(0, len(parts), 2):
        parts[i] = re.escape(parts[i])
    return "".join(parts)


def answer_problem(response, expected: Expected, values: dict[str, str], url: str) -> str | None:
    status, location = response.status_code, response.get("Location", "")
    if isinstance(expected, int):
        ok = status == expected
    else:
        pattern = _location_pattern(expected, values, url)
        ok = status == 302 and re.fullmatch(pattern, location) is not None
    if ok:
        return None
    where = f" to {location}" if location else ""
    return f"expected {expected}, got {status}{where}"


def pinpoint_writes(world: World, url: str, probes: list[Probe], before: dict) -> list[str]:
    """Send each refused request again alone, to name the one that wrote."""
    found = []
    for probe in probes:
        with transaction.atomic():
            probe.send(world, url)
            if changed := changed_tables(before, database_state()):
                found.append(f"{probe.describe(url)} changed {', '.join(changed)}")
            transaction.set_rollback(True)
    return found or [f"the refused requests to {url}, together, changed the database"]
