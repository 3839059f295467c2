"""Two app servers, one database: nothing a person does depends on which server answers.

Run on demand from the project folder (PostgreSQL on 127.0.0.1:5432, user
postgres, trust):

    .venv/bin/pip install requests        # the HTTP client; not a project dependency
    .venv/bin/python bench/two_servers.py # about 15 s

It creates the database `spectrum_two` (dropped at the end) and starts two
gunicorn instances, A and B, on different ports with the same settings, as
two containers behind a load balancer would be. One browser (one cookie jar;
cookies do not depend on the port) then:

1. takes the assessment changing server at every step: GET / and the start
   on A, page 1 (its GET and its POST) on B, page 2 on A, page 3 on B, page 4
   (the submit) on A, then sends page 4 again and opens the result on B;
2. takes it again changing server at every request: each page is shown by
   one server and its answers are posted to the other, with the CSRF token
   that the first one put in the form;
3. signs in on A (the anonymous results of this browser join the account)
   and opens /me/ on B, then signs out on B and asks /me/ on A;
4. fails to sign in as another user five times, alternating A and B, then
   tries the right password: the lockout is counted in the database.

It prints every request (server, method, what, status) and checks the
database: each attempt stored once, with all its answers, one result and its
dimension scores. Exit status 1 if anything did not happen as described, 2
if something failed to run.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    CSRF_RE,
    AttemptRecord,
    BenchError,
    Browser,
    Hit,
    Site,
    StepFailed,
    check_database,
    start_server,
    stop_server,
    take_attempt,
)

DATABASE = "spectrum_two"
USERNAME = "bench-person"
LOCKED = "bench-locked"
PASSWORD = "a long bench password 42"  # noqa: S105 - a throw-away database


def show(hits: list[Hit], since: int, title: str) -> None:
    print(f"\n{title}")
    for hit in hits[since:]:
        print(
            f"  {hit.server}  {hit.method:<4} {hit.kind:<10} -> {hit.status or hit.error}"
            f"  ({hit.seconds * 1000:.0f} ms)"
        )


def main() -> int:
    started = time.monotonic()
    site = Site(DATABASE)
    servers = []
    problems: list[str] = []
    try:
        site.setup()
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        person = users.create_user(USERNAME, "person@example.com", PASSWORD)
        users.create_user(LOCKED, "locked@example.com", PASSWORD)
        from django.db import connections

        connections.close_all()

        a = start_server(site, "A", workers=2, cpus="0")
        b = start_server(site, "B", workers=2, cpus="1")
        servers = [a, b]
        print(f"Two servers, {time.strftime('%Y-%m-%d %H:%M')}, one database ({DATABASE}):")
        for server in servers:
            print(f"  {server.describe()}")

        hits: list[Hit] = []
        browser = Browser([("A", a.base), ("B", b.base)], hits)
        rng = random.Random(2)  # noqa: S311 - answers, not secrets
        records = []

        browser.route = "step"
        record = AttemptRecord()
        records.append(record)
        take_attempt(browser, record, rng, double_submit="sequential")
        show(hits, 0, "1. One attempt, a new server at each step (start A, page 1 B, ...):")
        print(f"  result {record.token[:8]}…, sent again on B: {record.double_tokens[0][:8]}…")

        browser.route = "request"
        browser.turn = 0
        mark = len(hits)
        record = AttemptRecord()
        records.append(record)
        # Same person, same cookies: this browser now has two anonymous attempts.
        take_attempt(browser, record, rng, fresh_person=False)
        show(hits, mark, "2. Another attempt, a new server at every request:")
        pairs = [
            (hits[i].server, hits[i + 1].server)
            for i in range(mark, len(hits) - 1)
            if hits[i].kind == "page" and hits[i + 1].kind in ("answer", "submit")
        ]
        print(
            "  pages shown by one server and posted to the other: "
            f"{sum(1 for x, y in pairs if x != y)}/{len(pairs)}"
        )

        mark = len(hits)
        page = browser.request("login", "GET", "/accounts/login/", on=0)
        token = CSRF_RE.search(page.text).group(1)
        browser.request(
            "login",
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD},
            expect=(302,),
            on=0,
        )
        me = browser.request("me", "GET", "/me/", on=1)
        shown = [r.token for r in records if f"/results/{r.token}/" in me.text]
        print(
            f"\n3. Signed in on A; /me/ on B answered {me.status_code} and lists "
            f"{len(shown)}/{len(records)} of this browser's results"
        )
        if len(shown) != len(records):
            problems.append("/me/ on B does not list the results taken in this browser")
        page = browser.request("me", "GET", "/me/", on=1)
        token = CSRF_RE.search(page.text).group(1)
        browser.request(
            "logout",
            "POST",
            "/accounts/logout/",
            {"csrfmiddlewaretoken": token},
            expect=(302,),
            on=1,
        )
        after = browser.request("me", "GET", "/me/", expect=(302,), on=0)
        print(
            f"  signed out on B; /me/ on A then answers {after.status_code} to "
            f"{after.headers.get('Location')}"
        )
        show(hits, mark, "  requests:")

        mark = len(hits)
        intruder = Browser([("A", a.base), ("B", b.base)], hits)
        statuses = []
        for attempt in range(6):
            password = PASSWORD if attempt == 5 else f"wrong password {attempt}"
            page = intruder.request("login", "GET", "/accounts/login/", on=attempt % 2)
            token = CSRF_RE.search(page.text).group(1)
            response = intruder.request(
                "login",
                "POST",
                "/accounts/login/",
                {"csrfmiddlewaretoken": token, "username": LOCKED, "password": password},
                expect=(200, 302, 429),
                on=attempt % 2,
            )
            statuses.append(f"{'AB'[attempt % 2]}:{response.status_code}")
        print(
            f"\n4. Sign-in failures for {LOCKED}, alternating A and B (the 6th with the right "
            f"password): {' '.join(statuses)}"
        )
        if not (statuses[4].endswith("429") and statuses[5].endswith("429")):
            problems.append("the lockout did not hold across the two servers")

        facts, found = check_database(records, exact=True)
        problems += found
        from assessments.models import Attempt

        owners = set(
            Attempt.objects.filter(pk__in=[r.attempt_id for r in records]).values_list(
                "user_id", flat=True
            )
        )
        facts.append(f"both attempts now belong to {USERNAME}: {owners == {person.pk}}")
        if owners != {person.pk}:
            problems.append("the attempts were not claimed by the account")
        connections.close_all()
        print("\nDatabase:")
        for fact in facts:
            print(f"  {fact}")
        served = {name: sum(1 for h in hits if h.server == name) for name in ("A", "B")}
        print(f"\nRequests answered: A {served['A']}, B {served['B']}; none failed: ", end="")
        print(all(200 <= h.status < 500 for h in hits))
        if problems:
            print("PROBLEMS:")
            for problem in problems:
                print(f"  {problem}")
        else:
            print("OK: nothing depended on which server answered")
        print(f"Run time {time.monotonic() - started:.1f} s")
        return 1 if problems else 0
    except (BenchError, StepFailed) as error:
        print(f"two_servers failed: {error}", file=sys.stderr)
        for server in servers:
            print(f"--- gunicorn {server.name} log:\n{server.log_tail(3000)}", file=sys.stderr)
        return 2
    finally:
        for server in servers:
            stop_server(server)
        print(site.close())


if __name__ == "__main__":
    sys.exit(main())
