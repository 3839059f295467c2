"""The leak probe: every URL of the project × every role × GET and POST, found
from the URL patterns themselves (tests/probe.py), so a new URL is probed
without editing this file, and fails until someone decides what it answers.

Each URL is filled with ids of objects that belong to participant A, team A
and their cohort. Who may reach it is decided by its route's prefix (ACCESS
below); a route under a prefix nobody classified fails the test. Refused
roles must get exactly the refusal (the sign-in page with the URL to come
back to, 403 or 404) and change nothing in the database, by GET and by POST;
roles that may reach a URL must get exactly the answer ANSWERS pins for it,
and an answer of 4xx to them changes nothing either.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import cast
from tests.probe import (
    Endpoint,
    Expected,
    Probe,
    World,
    answer_problem,
    changed_tables,
    database_state,
    endpoints,
    pinpoint_writes,
    url_for,
    url_values,
)
from tests.probe_world import build_world

# --- Who is refused, and how ------------------------------------------------------------

ROLES = ("anonymous", "participant_a", "participant_b", "manager_a", "manager_b", "hr_admin")

OK = "reaches it: see ANSWERS"
# A 302 is written as the path it leads to (tests/probe.py: Expected).
SIGN_IN = reverse("accounts:login") + "?next={here}"
ADMIN_SIGN_IN = reverse("admin:login") + "?next={here}"
ADMIN_INDEX = reverse("admin:index")  # which sends them to sign in


def rule(default: object, **by_role: object) -> dict[str, object]:
    """What each role gets, by GET and by POST: OK, or a refusal."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


ANYONE = rule(OK)
SIGNED_IN = rule(OK, anonymous=SIGN_IN)
# Attempts answer 404 to everyone but their owner, so ids cannot be probed.
OWNER_A = rule(404, participant_a=OK)
DASHBOARD_READERS = rule(403, anonymous=SIGN_IN, manager_a=OK, manager_b=OK, hr_admin=OK)
# Another team's manager gets 404: they cannot even learn the team exists.
TEAM_A_READERS = rule(403, anonymous=SIGN_IN, manager_a=OK, manager_b=404, hr_admin=OK)
SHARED_WITH_TEAM_A = rule(403, anonymous=SIGN_IN, manager_a=OK, manager_b=404, hr_admin=404)
HR_ONLY = rule(403, anonymous=SIGN_IN, hr_admin=OK)
# Nobody in the cast is staff: HR admins run the product, not Django's admin.
STAFF_ONLY = rule(ADMIN_SIGN_IN)

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
    # Reading a result: its private token is the key. Sharing it: only its taker.
    "results/<token:token>/share/": OWNER_A,
    "results/": ANYONE,
    # Capability links: the token or code is the key.
    "invite/": ANYONE,
    "join/": ANYONE,
    "managers/accept/": SIGNED_IN,
    "accounts/": ANYONE,
    # The language switcher and the accessibility statement: anyone.
    "language/": ANYONE,
    "accessibility/": ANYONE,
}
EXACT = {
    "": ANYONE,
    "accounts/preferences/": SIGNED_IN,
    "dashboards/": DASHBOARD_READERS,
}
# POST-only actions that refuse GET before they ask who is asking: the same
# 405 for everyone, which gives nothing away. Their POST is held to the rule.
# (The HR area asks first: a GET there is refused like a POST.)
METHOD_FIRST = {"taking:attempt_autosave", "taking:result_share"}
# Pages that only read (require_safe) refuse a POST once the role is
# checked, before they look the object up: a manager of another team gets
# the same 405 whether the team exists or not, which gives nothing away.
# Their GET is held to the rule.
READS_BEFORE_OBJECT = {"dashboards:team", "dashboards:team_csv", "dashboards:shared_result"}


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


# --- What those who may reach a URL get ----------------------------------------------


@dataclass(frozen=True)
class Answer:
    """By GET, by an empty POST, and by POSTing the world's body for the URL
    (World.post_bodies), which a URL with a body must pin."""

    get: Expected
    post: Expected
    posted: Expected | None = None


PAGE = Answer(200, 405)  # a page that takes GET only
FORM = Answer(200, 200)  # an empty POST shows the form again with its errors
COHORT = "/hr/cohorts/{cohort_id}/"
OUTBOX = "/hr/cohorts/{cohort_id}/outbox/"
PEOPLE = "/hr/cohorts/{cohort_id}/participants/"
VERSION = "/hr/banks/versions/{version_id}/"  # the draft, which HR may still change


def by_role(default: Answer, **answers: Answer) -> dict[str, Answer]:
    unknown = set(answers) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: answers.get(role, default) for role in ROLES}


def signed_in_go_to(home: str, *, manager: str, hr: str) -> dict[str, Answer]:
    return by_role(
        Answer(home, home),
        anonymous=FORM,
        manager_a=Answer(manager, manager),
        manager_b=Answer(manager, manager),
        hr_admin=Answer(hr, hr),
    )


# URL name -> what every role allowed to reach it gets (or each role's answer).
ANSWERS: dict[str, Answer | dict[str, Answer]] = {
    "health": PAGE,
    "admin:login": FORM,
    "taking:home": PAGE,
    "taking:attempt_start": Answer(405, "/assessment/{new}/pages/1/"),
    "taking:attempt_page": Answer(200, 200, posted="/assessment/{attempt_id}/pages/2/"),
    "taking:attempt_autosave": Answer(405, 400, posted=200),
    "taking:attempt_resume": Answer(*["/assessment/{attempt_id}/pages/2/"] * 2),
    "taking:result_detail": PAGE,
    "taking:result_share": Answer(405, "/results/{token}/", posted="/results/{token}/"),
    "taking:result_pdf": PAGE,  # the same key as the page: whoever may read it
    "links:invitation": Answer(200, "/assessment/{new}/resume/"),
    "links:data_export": PAGE,
    "links:delete": FORM,  # nothing is deleted without the confirmation
    "links:join": FORM,
    "links:manager_accept": Answer(200, "/dashboards/"),
    "accounts:history": PAGE,
    "accounts:data_export": PAGE,
    "accounts:data_delete": FORM,
    "accounts:login": signed_in_go_to("/me/", manager="/dashboards/", hr="/hr/"),
    "accounts:signup": signed_in_go_to("/me/", manager="/me/", hr="/me/"),
    # Single sign-on is off here, so both legs are not found; set up, they
    # are tested against a real provider in tests/test_sso.py.
    "accounts:sso_start": Answer(404, 405),
    "accounts:sso_callback": Answer(404, 405),
    "accounts:logout": Answer(405, "/"),
    "accounts:password_reset": FORM,
    "accounts:password_reset_done": PAGE,
    "accounts:password_reset_confirm": Answer(*["/accounts/reset/{uidb64}/set-password/"] * 2),
    "accounts:password_reset_complete": PAGE,
    # An empty POST has no language: back home with a message. A signed-in
    # person's empty preferences form is valid: "as my browser says".
    "preferences:language": Answer(405, "/"),
    "preferences:preferences": Answer(200, "/accounts/preferences/"),
    "preferences:accessibility": PAGE,
    "dashboards:index": PAGE,
    "dashboards:team": PAGE,
    "dashboards:team_csv": PAGE,
    "dashboards:shared_result": PAGE,
    "dashboards:cohort": PAGE,
    "dashboards:cohort_csv": PAGE,
    # The HR area: cohorts and teams ...
    "cohorts:list": PAGE,
    "cohorts:create": FORM,
    "cohorts:detail": PAGE,
    "cohorts:edit": FORM,
    "cohorts:open": Answer(405, COHORT),  # it is open already: a message says so
    "cohorts:close": Answer(405, COHORT),
    "cohorts:join_link": Answer(405, COHORT, posted=COHORT),
    "cohorts:participants": PAGE,
    "cohorts:participant_add": Answer(200, 200, posted=COHORT),
    "cohorts:import": FORM,
    "cohorts:import_preview": PAGE,
    "cohorts:import_confirm": Answer(405, COHORT),
    "cohorts:import_cancel": Answer(405, COHORT),
    "cohorts:participant_team_confirm": Answer(405, PEOPLE),
    "cohorts:participant_invite": Answer(405, OUTBOX),  # queued, then sent from the outbox
    "cohorts:participant_remove": Answer(200, PEOPLE),  # asks first; refused once started
    "cohorts:emails_queue": Answer(405, OUTBOX),
    "cohorts:outbox": PAGE,
    "cohorts:outbox_status": PAGE,  # the outbox's counts and rows, for its script
    "cohorts:outbox_retry": Answer(405, OUTBOX),
    "cohorts:schedule": FORM,
    "cohorts:export": PAGE,
    "cohorts:statistics": PAGE,
    "cohorts:team_list": Answer(200, 200, posted="/hr/teams/"),
    "cohorts:team_detail": Answer(200, 200, posted="/hr/teams/{team_id}/"),
    "cohorts:team_manager_remove": Answer(405, "/hr/teams/{team_id}/"),
    # ... and question banks.
    "banks:list": PAGE,
    "banks:create": FORM,
    "banks:import": FORM,
    "banks:version_detail": PAGE,
    "banks:version_export": PAGE,  # of the published version
    "banks:version_statistics": PAGE,
    "banks:version_copy": Answer(405, "/hr/banks/versions/{published_id}/"),
    "banks:version_notes": Answer(405, VERSION + "#notes", posted=VERSION + "#notes"),
    "banks:version_publish": Answer(200, VERSION),
    "banks:version_archive": Answer(405, "/hr/banks/versions/{published_id}/"),
    "banks:version_approve": Answer(405, "/hr/banks/versions/{published_id}/"),
    "banks:version_delete": Answer(200, "/hr/banks/"),
    "banks:item_create": FORM,
    "banks:scenario_create": FORM,
    "banks:attention_create": FORM,
    "banks:item_edit": FORM,
    "banks:item_delete": Answer(200, VERSION + "#items"),
    "banks:item_move": Answer(405, 400, posted=VERSION + "#item-{item_id}"),
}


def answer_for(endpoint: Endpoint, role: str) -> Answer:
    answer = ANSWERS.get(endpoint.name or endpoint.route)
    if answer is None:
        pytest.fail(
            f"Nobody pinned what {endpoint} answers to those who may reach it: add its "
            "GET and POST answers to ANSWERS in tests/test_leak_probe.py."
        )
    return answer if isinstance(answer, Answer) else answer[role]


# --- The world every URL is probed in --------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at
    the end; each test's own transaction rolls back to this state."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# --- Probing ------------------------------------------------------------------------


def probes(world: World, endpoint: Endpoint, role: str, expected: object) -> list[Probe]:
    """GET, an empty POST, and the body the URL's rightful user would send, if
    the world knows one (so that a broken check would show up as a write)."""
    body = world.post_bodies.get(endpoint.name or "")
    if expected == OK:
        answer = answer_for(endpoint, role)
        if body is not None and answer.posted is None:
            pytest.fail(f"ANSWERS must pin what POSTing the world's body to {endpoint} gets")
        get, post, posted = answer.get, answer.post, answer.posted
    else:
        assert isinstance(expected, int | str)
        get = 405 if endpoint.name in METHOD_FIRST else expected
        post = posted = expected
        if endpoint.name in READS_BEFORE_OBJECT and expected == 404:
            post = posted = 405
    found = [Probe("get", role, get), Probe("post", role, post)]
    if body is not None:
        assert posted is not None
        found.append(Probe("post", role, posted, body))
    return found


ENDPOINTS = sorted(set(endpoints()), key=lambda endpoint: endpoint.route)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_nobody_reaches_what_is_not_theirs(db, world, endpoint):
    rules = access_rule(endpoint.route)
    url = url_for(world, endpoint)
    values = {**world.values, **url_values(world, endpoint)}
    refused = [
        probe
        for role in ROLES
        if rules[role] != OK
        for probe in probes(world, endpoint, role, rules[role])
    ]
    failures = []

    # One snapshot before and one after all the refused requests, in a
    # savepoint; they are sent again one by one only if something changed.
    before = database_state()
    with transaction.atomic():
        for probe in refused:
            response = probe.send(world, url)
            if problem := answer_problem(response, probe.expected, values, url):
                failures.append(f"{probe.describe(url)}: {problem}")
        wrote = database_state() != before
        transaction.set_rollback(True)
    if wrote:
        failures += pinpoint_writes(world, url, refused, before)

    # Each allowed request in its own savepoint: a POST may change things.
    for role in ROLES:
        if rules[role] != OK:
            continue
        for probe in probes(world, endpoint, role, OK):
            with transaction.atomic():
                response = probe.send(world, url)
                if problem := answer_problem(response, probe.expected, values, url):
                    failures.append(f"{probe.describe(url)}: {problem}")
                if 400 <= response.status_code < 500 and (
                    changed := changed_tables(before, database_state())
                ):
                    failures.append(f"{probe.describe(url)} was refused but changed {changed}")
                transaction.set_rollback(True)
            if probe.method == "get" and role != "participant_a" and response.status_code == 200:
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


def test_every_url_is_probed_under_its_namespaced_name(db, world):
    """The name the walk gives each URL is the one reverse() takes, and leads
    to the very URL the probe sends its requests to."""
    named = [endpoint for endpoint in ENDPOINTS if endpoint.name]
    assert len({endpoint.name for endpoint in named}) == len(named)
    for endpoint in named:
        assert reverse(endpoint.name, kwargs=url_values(world, endpoint)) == url_for(
            world, endpoint
        ), endpoint.name
    assert {
        "taking:result_detail",
        "links:invitation",
        "cohorts:detail",
        "banks:list",
        "dashboards:team",
        "accounts:history",
        "admin:index",
        "health",
    } <= {endpoint.name for endpoint in named}


def test_every_pinned_answer_is_for_a_url_that_exists():
    """A renamed or removed URL leaves no stale answer behind."""
    assert set(ANSWERS) <= {endpoint.name for endpoint in ENDPOINTS}


def test_an_unclassified_prefix_fails_loudly():
    with pytest.raises(pytest.fail.Exception, match="classify it"):
        access_rule("billing/<int:invoice_id>/")


def test_an_unknown_parameter_fails_loudly():
    world = World(values={}, values_by_prefix={}, sessions={})
    with pytest.raises(pytest.fail.Exception, match="'invoice_id'"):
        url_for(world, Endpoint("hr/invoices/<int:invoice_id>/", ("invoice_id",)))


def test_a_url_without_pinned_answers_fails_loudly():
    with pytest.raises(pytest.fail.Exception, match="add its GET and POST answers"):
        answer_for(Endpoint("hr/invoices/", (), "billing:invoices"), "hr_admin")


def test_staff_reach_the_admin(db, world):
    """The other side of STAFF_ONLY: the admin works for staff, so the
    redirects above are refusals, not a broken admin."""
    staff = cast.make_user("sam")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:assessments_attempt_changelist")).status_code == 200
