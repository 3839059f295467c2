"""Two app servers, one database: nothing a person does depends on which server answers.
Prints every request; exits 1 if anything did not happen as bench/README.md says."""

import random
import sys
import time
from collections import Counter

from invariants import AttemptRecord, compare_with_clients
from report import arguments, verdict
from sandbox import BenchError, sandbox
from scenario import Browser, Hit, StepFailed, csrf_token, take_attempt
from servers import start_server, stop_server

PERSON, LOCKED, PASSWORD = "bench-person", "bench-locked", "a long bench password 42"  # noqa: S105


def show(title: str, hits: list[Hit]) -> None:
    print(f"{title}\n   ", *(f"{h.server}:{h.method} {h.kind}:{h.status or h.error}" for h in hits))


def attempts(browser: Browser) -> list[AttemptRecord]:
    """One attempt changing server at each step, then one at every request (same person)."""
    hits, rng, first, second = browser.hits, random.Random(2), AttemptRecord(), AttemptRecord()  # noqa: S311
    browser.route = "step"
    take_attempt(browser, first, rng, "sequential")
    show("1. An attempt changing server at each step; the submit sent again to B:", hits)
    browser.route, browser.turn, mark = "request", 0, len(hits)
    take_attempt(browser, second, rng, "")
    show("2. Another attempt, a new server at every request:", hits[mark:])
    pages = [i for i in range(mark, len(hits) - 1) if hits[i].kind == "page"]
    crossed = sum(hits[i].server != hits[i + 1].server for i in pages)
    print(f"    pages shown by one server and posted to the other: {crossed}/{len(pages)}")
    return [first, second]


def sign_in_and_out(browser: Browser, records: list[AttemptRecord]) -> list[str]:
    """Signed in on A, /me/ on B lists this browser's results; signed out on B, not on A."""
    mark, browser.route, browser.step = len(browser.hits), "step", 0
    page = browser.request("login", "/accounts/login/")
    form = {"csrfmiddlewaretoken": csrf_token(page), "username": PERSON, "password": PASSWORD}
    browser.request("login", "/accounts/login/", form)
    browser.step = 1
    me = browser.request("me", "/me/")
    shown = sum(f"/results/{r.token}/" in me.text for r in records)
    browser.request("logout", "/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(me)})
    browser.step = 0
    where = browser.request("me", "/me/", None, 302).headers["Location"]
    print(f"3. Signed in on A, /me/ on B lists {shown}/{len(records)} of this browser's results;")
    show(f"   signed out on B, /me/ on A sends to {where}:", browser.hits[mark:])
    return [] if shown == len(records) else ["/me/ on B does not list this browser's results"]


def lockout(intruder: Browser) -> list[str]:
    """Five wrong passwords for another user alternating A and B, then the right one."""
    statuses = []
    for attempt in range(6):
        page = intruder.request("login", "/accounts/login/")
        password = PASSWORD if attempt == 5 else f"wrong password {attempt}"
        form = {"csrfmiddlewaretoken": csrf_token(page), "username": LOCKED, "password": password}
        intruder.turn -= 1  # the POST goes to the server that showed the form
        response = intruder.request("login", "/accounts/login/", form, 200, 302, 429)
        statuses.append(f"{'AB'[attempt % 2]}:{response.status_code}")
    print(f"4. Sign-in for {LOCKED}, alternating A and B, the 6th right: {' '.join(statuses)}")
    held = statuses[4:] == ["A:429", "B:429"]
    return [] if held else ["the lockout did not hold on both servers"]


def journeys(bases: list[tuple[str, str]], person_pk: int) -> int:
    hits: list[Hit] = []
    browser = Browser(bases, hits)
    records = attempts(browser)
    problems = sign_in_and_out(browser, records) + lockout(Browser(bases, hits))
    facts, found = compare_with_clients(records)
    from assessments.models import Attempt

    owners = set(Attempt.objects.values_list("user_id", flat=True))
    served = dict(Counter(h.server for h in hits))  # any other status than expected stops it
    facts.append(f"both attempts belong to {PERSON}: {owners == {person_pk}}; answered: {served}")
    if owners != {person_pk}:
        problems.append("the attempts were not claimed by the account")
    return verdict("Database:", facts, found + problems, "nothing depended on the server")


def main() -> int:
    args = arguments(__doc__, [("--database-name", "spectrum_two", "")])
    started, servers = time.monotonic(), []
    with sandbox(args.database_name) as site:
        try:
            site.setup()
            from django.contrib.auth import get_user_model
            from django.db import connections

            person = get_user_model().objects.create_user(PERSON, "p@example.com", PASSWORD)
            get_user_model().objects.create_user(LOCKED, "l@example.com", PASSWORD)
            connections.close_all()
            servers = [start_server(site, name, 2, cpus) for name, cpus in (("A", "0"), ("B", "1"))]
            print(f"Two servers, {time.strftime('%Y-%m-%d %H:%M')}, one database:")
            print("\n".join(f"  {server.describe}" for server in servers))
            code = journeys([(s.name, s.base) for s in servers], person.pk)
            print(f"Run time {time.monotonic() - started:.1f} s")
            return code
        except (BenchError, StepFailed) as error:
            print(f"two_servers failed: {error}", file=sys.stderr)
            print("".join(f"gunicorn {s.name}:\n{s.log_tail()}" for s in servers), file=sys.stderr)
            return 2
        finally:
            for server in servers:
                stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
