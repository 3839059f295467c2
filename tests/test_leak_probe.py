"""The leak probe: every URL of the project × every role, found from the URL
patterns themselves, so a new URL is probed without editing this file.

Each URL is filled with ids of objects that belong to participant A, team A
and their cohort. Who may reach it is decided by its route's prefix (ACCESS
below); a route under a prefix nobody classified fails the test until
someone decides who may see it. Denied roles must get the expected answer
(sign-in redirect, 403 or 404) and change nothing in the database, by GET
and by POST; allowed roles must not be turned away.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.banks import services as bank_services
from assessments.banks.rules import read_bank_file
from assessments.banks.services import bank_import
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.dashboards.sharing import result_share_set
from assessments.models import Attempt, ManagerInvitation, ParticipantImport
from assessments.roles import grant_role
from assessments.taking import services
from tests.conftest import make_user
from tests.helpers import add_people, complete, page_answers

# --- Who may reach what -------------------------------------------------------

ROLES = ("anonymous", "participant_a", "participant_b", "manager_a", "manager_b", "hr_admin")

OK = "reaches it"
LOGIN = "is sent to sign in"
ADMIN_LOGIN = "is sent to the admin's sign-in"
ADMIN_INDEX = "is sent to the admin's front page"  # which sends them to sign in


def rule(default: object, **by_role: object) -> dict[str, object]:
    """What each role gets: OK, LOGIN, ADMIN_LOGIN, or a status code."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


ANYONE = rule(OK)
SIGNED_IN = rule(OK, anonymous=LOGIN)
# Attempts answer 404 to everyone but their owner, so ids cannot be probed.
OWNER_A = rule(404, participant_a=OK)
DASHBOARD_READERS = rule(403, anonymous=LOGIN, manager_a=OK, manager_b=OK, hr_admin=OK)
# Another team's manager gets 404: they cannot even learn the team exists.
TEAM_A_READERS = rule(403, anonymous=LOGIN, manager_a=OK, manager_b=404, hr_admin=OK)
SHARED_WITH_TEAM_A = rule(403, anonymous=LOGIN, manager_a=OK, manager_b=404, hr_admin=404)
HR_ONLY = rule(403, anonymous=LOGIN, hr_admin=OK)
# Nobody in the cast is staff: HR admins run the product, not Django's admin.
STAFF_ONLY = rule(ADMIN_LOGIN)

# Route prefix -> rule; the longest matching prefix wins. Routes in EXACT
# match only themselves, so a new URL below them is not classified by accident.
ACCESS = {
    "healthz/": ANYONE,
    "admin/login/": ANYONE,  # the admin's own sign-in form
    "admin/logout/": rule(ADMIN_INDEX),
    "admin/": STAFF_ONLY,
    "hr/": HR_ONLY,
    "dashboards/cohorts/": HR_ONLY,
    "dashboards/teams/": TEAM_A_READERS,
    # A result shared with team A: its managers only, not even HR.
    "dashboards/shared/": SHARED_WITH_TEAM_A,
    "me/": SIGNED_IN,  # and only one's own data: see World.private_markers
    "assessment/start/": ANYONE,
    "assessment/": OWNER_A,
    # Reading a result: its private token is the key. Sharing it: only its owner.
    "results/<token:token>/share/": OWNER_A,
    "results/": ANYONE,
    # Capability links: the token or code is the key.
    "invite/": ANYONE,
    "join/": ANYONE,
    "managers/accept/": SIGNED_IN,
    "accounts/": ANYONE,
}
EXACT = {
    "": ANYONE,
    "dashboards/": DASHBOARD_READERS,
}


def access_rule(route: str) -> dict[str, object]:
    if route in EXACT:
        return EXACT[route]
    prefixes = [prefix for prefix in ACCESS if route.startswith(prefix)]
    if not prefixes:
        pytest.fail(
            f"The URL pattern {route!r} is under no prefix the leak probe knows. Decide who "
            "may reach it and classify it in ACCESS or EXACT in tests/test_leak_probe.py."
        )
    return ACCESS[max(prefixes, key=len)]


# --- Every URL pattern ----------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    route: str  # the full route, as ResolverMatch.route spells it
    kwargs: tuple[str, ...]  # the names captured along the way, in order

    def __str__(self) -> str:
        return self.route or "(home)"


def _names(pattern) -> list[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def endpoints(resolver: URLResolver | None = None, prefix: str = "", names=()) -> Iterator:
    """Every URL pattern below ``resolver``, with its full route and captured names."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        part = str(pattern.pattern)
        # How Django joins routes (URLResolver._join_route).
        route = prefix + part.removeprefix("^") if prefix else part
        captured = (*names, *_names(pattern))
        if isinstance(pattern, URLResolver):
            yield from endpoints(pattern, route, captured)
        else:
            assert isinstance(pattern, URLPattern)
            yield Endpoint(route, captured)


ENDPOINTS = sorted(set(endpoints()), key=lambda endpoint: endpoint.route)

# --- The world every URL is probed in --------------------------------------------


@dataclass
class World:
    values: dict[str, str]  # converter name -> value, for every route
    values_by_prefix: dict[str, dict[str, str]]  # the same word meaning different keys
    sessions: dict[str, str]  # role -> session key
    post_bodies: dict[str, list[dict]]  # route -> what its rightful user would POST
    private_markers: list[str]  # strings only participant A may see outside capability links


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at
    the end; each test's own transaction rolls back to this state."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    version, _ = bank_import(data=read_bank_file())
    draft = bank_services.bank_version_copy(source=version)

    hr_admin = make_user("hannah")
    grant_role(hr_admin, "hr_admin")
    alice, bob = make_user("alice"), make_user("bob")
    manager_a, manager_b = make_user("martin"), make_user("maria")
    team_a, team_b = team_services.teams_get_or_create(["EMEA sales", "US sales"])
    team_services.team_manager_add(team=team_a, user=manager_a)
    team_services.team_manager_add(team=team_b, user=manager_b)

    cohort = cohort_services.cohort_create(
        name="Sales managers, Q1 2027",
        bank_version=version,
        teams=[team_a, team_b],
        created_by=hr_admin,
    )
    cohort = cohort_services.cohort_open(cohort=cohort)
    cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    for person in add_people(cohort, team_a, 5, "a-person"):
        complete(person)
    for person in add_people(cohort, team_b, 5, "b-person"):
        complete(person)
    waiting = add_people(cohort, team_a, 1, "a-invited")[0]

    # Each participant took the assessment in the cohort and signed in
    # afterwards (their result is theirs), and has a second attempt going.
    owned = {}
    for user, team in ((alice, team_a), (bob, team_b)):
        person = add_people(cohort, team, 1, user.username)[0]
        result = complete(person)
        services.attempts_claim(user=user, attempt_ids=[result.attempt_id])
        going = services.attempt_start(bank_version=version, user=user)
        answers = page_answers(going, 1)
        services.responses_save(
            attempt=going, answers={int(k.removeprefix("item_")): v for k, v in answers.items()}
        )
        owned[user.username] = (result, going)

    pending = ParticipantImport.objects.create(
        cohort=cohort,
        created_by=hr_admin,
        filename="people.csv",
        rows=[[2, "Pat", "pat@example.com", "EMEA sales"]],
    )
    invitation = ManagerInvitation.objects.create(
        team=team_a, email="new-manager@example.com", invited_by=hr_admin
    )
    result_a, attempt_a = owned["alice"]
    share = result_share_set(result=result_a, shared=True)

    sessions = {}
    for role, user in {
        "participant_a": alice,
        "participant_b": bob,
        "manager_a": manager_a,
        "manager_b": manager_b,
        "hr_admin": hr_admin,
    }.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    return World(
        values={
            "attempt_id": str(attempt_a.pk),
            "number": "1",
            "code": cohort.join_code,
            "cohort_id": str(cohort.pk),
            "team_id": str(team_a.pk),
            "import_id": str(pending.pk),
            "participant_id": str(waiting.pk),
            "kind": "invitations",
            "fmt": "csv",
            "share_id": str(share.pk),
            "user_id": str(manager_a.pk),  # team A's manager, for removing them
            "version_id": str(draft.pk),  # a draft, which HR may still change
            "item_id": str(draft.items.order_by("order").first().pk),
            "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
            # Django's admin
            "app_label": "assessments",
            "object_id": str(attempt_a.pk),
            "content_type_id": str(ContentType.objects.get_for_model(Attempt).pk),
            "id": str(alice.pk),
            "url": "no-such-page/",
        },
        values_by_prefix={
            "results/": {"token": result_a.token},
            "invite/": {"token": waiting.token},
            "managers/accept/": {"token": invitation.token},
            "accounts/reset/": {"token": default_token_generator.make_token(alice)},
        },
        sessions=sessions,
        post_bodies={
            # Answers that differ from the ones saved, and stopping a share.
            "assessment/<uuid:attempt_id>/pages/<int:number>/": [page_answers(attempt_a, 1, 1)],
            "assessment/<uuid:attempt_id>/answers/": [page_answers(attempt_a, 1, 1)],
            "results/<token:token>/share/": [{"shared": "off"}],
            "hr/cohorts/<int:cohort_id>/join-link/": [{"enabled": "off"}],
            "hr/banks/items/<int:item_id>/move/": [{"direction": "down"}],
            "hr/teams/": [{"name": "APAC sales"}],
            "hr/teams/<int:team_id>/": [{"email": "someone@example.com"}],
            "hr/cohorts/<int:cohort_id>/participants/add/": [
                {"name": "Eve", "email": "eve@example.com", "team": str(team_a.pk)}
            ],
        },
        private_markers=[str(attempt_a.pk), result_a.token, str(result_a.attempt_id)],
    )


# --- Filling a route with the world's ids ------------------------------------------

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


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
    values = {name: _value(world, endpoint, name) for name in endpoint.kwargs}
    path = _fill_regex_groups(endpoint.route, values)
    path = ROUTE_PARAMETER.sub(lambda m: values[m["name"]], path)
    path = re.sub(r"(?<!\\)[\^$]", "", path)
    path = "/" + re.sub(r"\\(.)", r"\1", path)
    # The URL must lead back to the very pattern it was built from.
    match = resolve(path)
    assert match.route == endpoint.route, f"{path} resolves to {match.route!r}"
    return path


# --- Probing ------------------------------------------------------------------------


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


PROBED_APPS = ("assessments", "auth", "axes")


def _probed_tables() -> dict[str, str]:
    """Label -> SQL that reads every row of a table, in a stable order."""
    quote = connection.ops.quote_name
    # Names of the models' own tables and columns, not input.
    return {
        model._meta.label: (
            f"SELECT * FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"ORDER BY {quote(model._meta.pk.column)}"
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


def _denial_problem(response, expected: object, method: str) -> str | None:
    location = response.get("Location", "")
    if method == "get" and response.status_code == 405:
        # A POST-only action refuses GET before it asks who is asking: the
        # same answer for everyone, which gives nothing away. Its POST is
        # held to the expected answer.
        return None
    if expected == LOGIN:
        ok = response.status_code == 302 and location.startswith(
            f"{reverse('accounts:login')}?next="
        )
    elif expected == ADMIN_INDEX:
        ok = response.status_code == 302 and location == reverse("admin:index")
    elif expected == ADMIN_LOGIN:
        ok = response.status_code == 302 and location.startswith(reverse("admin:login"))
    else:
        ok = response.status_code == expected
    if ok:
        return None
    where = f" to {location}" if location else ""
    return f"expected it {expected}, got {response.status_code}{where}"


def _allowed_problem(response) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500 or status in (401, 403, 404):
        return f"should reach it, got {status}"
    if status == 302 and location.startswith((reverse("accounts:login"), reverse("admin:login"))):
        return f"should reach it, was sent to sign in ({location})"
    return None


@dataclass(frozen=True)
class Probe:
    method: str
    role: str
    expected: object
    data: dict | None = None

    def describe(self, url: str) -> str:
        body = f" with {self.data}" if self.data else ""
        return f"{self.method.upper()} {url}{body} as {self.role}"

    def send(self, world: World, url: str):
        client = client_for(world, self.role)
        if self.method == "get":
            return client.get(url)
        return client.post(url, self.data or {})


def denied_probes(world: World, endpoint: Endpoint, expected: dict) -> list[Probe]:
    """GET and an empty POST by every role that may not reach the URL; also the
    body its owner would send, where the world knows one, so that a broken
    check would show up as a write."""
    bodies = [None, *world.post_bodies.get(endpoint.route, [])]
    return [
        probe
        for role in ROLES
        if expected[role] != OK
        for probe in (
            Probe("get", role, expected[role]),
            *(Probe("post", role, expected[role], data) for data in bodies),
        )
    ]


def _pinpoint_writes(world: World, url: str, probes: list[Probe], before: dict) -> list[str]:
    """Send each denied request again alone, to name the one that wrote."""
    found = []
    for probe in probes:
        with transaction.atomic():
            probe.send(world, url)
            if changed := changed_tables(before, database_state()):
                found.append(f"{probe.describe(url)} changed {', '.join(changed)}")
            transaction.set_rollback(True)
    return found or [f"the denied requests to {url}, together, changed the database"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_nobody_reaches_what_is_not_theirs(db, world, endpoint):
    expected = access_rule(endpoint.route)
    url = url_for(world, endpoint)
    probes = denied_probes(world, endpoint, expected)
    failures = []

    # One snapshot before and one after all the denied requests, in a
    # savepoint; they are sent again one by one only if something changed.
    before = database_state()
    with transaction.atomic():
        for probe in probes:
            response = probe.send(world, url)
            if problem := _denial_problem(response, probe.expected, probe.method):
                failures.append(f"{probe.describe(url)}: {problem}")
        wrote = database_state() != before
        transaction.set_rollback(True)
    if wrote:
        failures += _pinpoint_writes(world, url, probes, before)

    # Last, because an allowed GET may write (an export is recorded, say).
    for role in ROLES:
        if expected[role] != OK:
            continue
        response = Probe("get", role, OK).send(world, url)
        if problem := _allowed_problem(response):
            failures.append(f"GET {url} as {role}: {problem}")
        if role != "participant_a" and response.status_code == 200:
            body = response.content.decode(errors="replace")
            leaked = [m for m in world.private_markers if m in body and m not in url]
            if leaked:
                failures.append(f"GET {url} as {role} shows participant A's {leaked}")

    assert not failures, "\n".join(failures)


def test_the_walk_finds_every_kind_of_pattern():
    """The probe lists the URL patterns itself, so a new URL needs no change
    here; this guards the walk: nested includes, converters, regexes, and
    patterns without a name."""
    routes = [endpoint.route for endpoint in ENDPOINTS]
    assert len(routes) == len(set(routes))
    assert {
        "",
        "assessment/<uuid:attempt_id>/pages/<int:number>/",
        "hr/cohorts/<int:cohort_id>/results.<str:fmt>",
        "hr/banks/items/<int:item_id>/move/",
        "admin/assessments/result/<path:object_id>/change/",
        "admin/(?P<url>.*)$",
    } <= set(routes)
    assert any(route.startswith("admin/(?P<app_label>") for route in routes)


def test_an_unclassified_prefix_fails_loudly():
    with pytest.raises(pytest.fail.Exception, match="classify it"):
        access_rule("billing/<int:invoice_id>/")


def test_an_unknown_parameter_fails_loudly():
    world = World(values={}, values_by_prefix={}, sessions={}, post_bodies={}, private_markers=[])
    with pytest.raises(pytest.fail.Exception, match="'invoice_id'"):
        url_for(world, Endpoint("hr/invoices/<int:invoice_id>/", ("invoice_id",)))


def test_staff_reach_the_admin(db, world):
    """The other side of STAFF_ONLY: the admin works for staff, so the
    redirects above are refusals, not a broken admin."""
    staff = make_user("sam")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:assessments_attempt_changelist")).status_code == 200
