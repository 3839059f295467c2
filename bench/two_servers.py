"""Two app servers, one database: nothing a person does depends on which server answers.

Prints every request and checks the database; exits 1 if anything did not happen as
described in bench/README.md, 2 if something failed to run.
"""

import argparse
import random
import sys
import time

from client import Browser, Hit, StepFailed, csrf_token
from invariants import AttemptRecord, compare_with_clients
from report import verdict
from sandbox import BenchError, sandbox
from scenario import take_attempt
from servers import Server, start_server, stop_server

PERSON, LOCKED = "bench-person", "bench-locked"
PASSWORD = "a long bench password 42"  # noqa: S105 - a throw-away database


def show(hits: list[Hit], since: int, title: str) -> None:
    print(f"\n{title}")
    for hit in hits[since:]:
        took = f"{hit.seconds * 1000:.0f} ms"
        print(
            f"  {hit.server}  {hit.method:<4} {hit.kind:<10} -> {hit.status or hit.error}  ({took})"
        )


def attempts(browser: Browser) -> list[AttemptRecord]:
    """One attempt changing server at each step, one at every request (same person)."""
    hits, rng = browser.hits, random.Random(2)  # noqa: S311 - answers, not secrets
    browser.route, first = "step", AttemptRecord()
    take_attempt(browser, first, rng, double_submit="sequential")
    show(hits, 0, "1. One attempt, a new server at each step (start A, page 1 B, ...):")
    print(f"  result {first.token[:8]}…, sent again on B: {first.double_tokens[0][:8]}…")
    browser.route, browser.turn, mark, second = "request", 0, len(hits), AttemptRecord()
    take_attempt(browser, second, rng)
    show(hits, mark, "2. Another attempt, a new server at every request:")
    pages = [i for i in range(mark, len(hits) - 1) if hits[i].kind == "page"]
    crossed = sum(hits[i].server != hits[i + 1].server for i in pages)
    print(f"  pages shown by one server and posted to the other: {crossed}/{len(pages)}")
    return [first, second]


def sign_in_and_out(browser: Browser, records: list[AttemptRecord]) -> list[str]:
    """Sign in on A, /me/ on B lists this browser's results; sign out on B, /me/ on A."""
    mark = len(browser.hits)
    page = browser.request("login", "GET", "/accounts/login/", on=0)
    form = {"csrfmiddlewaretoken": csrf_token(page), "username": PERSON, "password": PASSWORD}
    browser.request("login", "POST", "/accounts/login/", form, expect=(302,), on=0)
    me = browser.request("me", "GET", "/me/", on=1)
    shown = sum(f"/results/{r.token}/" in me.text for r in records)
    print(
        f"\n3. Signed in on A; /me/ on B answered {me.status_code} and lists "
        f"{shown}/{len(records)} of this browser's results"
    )
    page = browser.request("me", "GET", "/me/", on=1)
    form = {"csrfmiddlewaretoken": csrf_token(page)}
    browser.request("logout", "POST", "/accounts/logout/", form, expect=(302,), on=1)
    after = browser.request("me", "GET", "/me/", expect=(302,), on=0)
    print(f"  signed out on B; /me/ on A then answers 302 to {after.headers.get('Location')}")
    show(browser.hits, mark, "  requests:")
    return [] if shown == len(records) else ["/me/ on B does not list this browser's results"]


def lockout(intruder: Browser) -> list[str]:
    """Five wrong passwords for another user alternating A and B, then the right one."""
    statuses = []
    for attempt in range(6):
        page = intruder.request("login", "GET", "/accounts/login/", on=attempt % 2)
        password = PASSWORD if attempt == 5 else f"wrong password {attempt}"
        form = {"csrfmiddlewaretoken": csrf_token(page), "username": LOCKED, "password": password}
        response = intruder.request(
            "login", "POST", "/accounts/login/", form, expect=(200, 302, 429), on=attempt % 2
        )
        statuses.append(f"{'AB'[attempt % 2]}:{response.status_code}")
    print(
        f"\n4. Sign-in failures for {LOCKED}, alternating A and B (the 6th with the right "
        f"password): {' '.join(statuses)}"
    )
    locked = statuses[4].endswith("429") and statuses[5].endswith("429")
    return [] if locked else ["the lockout did not hold across the two servers"]


def journeys(a: Server, b: Server, person_pk: int) -> int:
    hits: list[Hit] = []
    browser = Browser([("A", a.base), ("B", b.base)], hits)
    records = attempts(browser)
    problems = sign_in_and_out(browser, records)
    problems += lockout(Browser([("A", a.base), ("B", b.base)], hits))
    facts, found = compare_with_clients(records)
    from assessments.models import Attempt

    owners = set(Attempt.objects.values_list("user_id", flat=True))
    facts.append(f"both attempts now belong to {PERSON}: {owners == {person_pk}}")
    if owners != {person_pk}:
        found.append("the attempts were not claimed by the account")
    served = {name: sum(h.server == name for h in hits) for name in "AB"}
    failed = sum(not 200 <= h.status < 500 for h in hits)
    facts.append(f"requests answered: A {served['A']}, B {served['B']}; failed: {failed}")
    if failed:
        found.append(f"{failed} requests failed")
    return verdict(
        "Database:", facts, found + problems, "nothing depended on which server answered"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-name", default="spectrum_two")
    args = parser.parse_args()
    started = time.monotonic()
    with sandbox(args.database_name) as site:
        servers: list[Server] = []
        try:
            site.setup()
            from django.contrib.auth import get_user_model
            from django.db import connections

            person = get_user_model().objects.create_user(PERSON, "p@example.com", PASSWORD)
            get_user_model().objects.create_user(LOCKED, "l@example.com", PASSWORD)
            connections.close_all()
            servers = [start_server(site, "A", workers=2, cpus="0")]
            servers.append(start_server(site, "B", workers=2, cpus="1"))
            print(f"Two servers, {time.strftime('%Y-%m-%d %H:%M')}, one database:")
            print("\n".join(f"  {server.describe()}" for server in servers))
            code = journeys(*servers, person.pk)
            print(f"Run time {time.monotonic() - started:.1f} s")
            return code
        except (BenchError, StepFailed) as error:
            print(f"two_servers failed: {error}", file=sys.stderr)
            for server in servers:
                print(f"--- gunicorn {server.name} log:\n{server.log_tail(3000)}", file=sys.stderr)
            return 2
        finally:
            for server in servers:
                stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
