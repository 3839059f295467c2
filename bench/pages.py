"""The pages people read most, each against hello-world with wrk on gunicorn: the home
page, a question page, a result page, a history of five results, and the HR completion
page and first page of the list of people of a 5,000-person cohort (the method of
dashboard.py). Prints the share of hello-world beside the issue's aims, asserts none."""

import statistics
import sys

from dashboard import HELLO, PIN, wrk
from hr_scale import import_people
from inproc import page_times
from report import Options, arguments
from sandbox import BenchError, sandbox
from servers import start_server, stop_server

OPTIONS: Options = [("--duration", 10, "wrk s"), ("--people", 5000, "in the HR cohort")]
AIMS = {"result": 10.0, "history": 5.0, "HR completion": 3.0}  # % of hello-world, never asserted


def pages(people: int) -> dict[str, tuple[str, object]]:
    """Each page's URL and a signed-in (or session-holding) test Client to read it with."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from assessments.models import BankVersion
    from tests.helpers import submitted_result

    version, anonymous = BankVersion.objects.current(), Client()
    assert version is not None

    def choices(item) -> int:  # a statement's five answers, or a scenario's responses
        return item.options.count() if item.is_scenario else 5

    result = submitted_result(version, value=lambda item: 1 + item.pk % choices(item))
    person = get_user_model().objects.create_user("bench-person", "p@example.com", "bench-pw-1")
    for lean in range(5):
        submitted_result(
            version, user=person, value=lambda item, v=lean: 1 + (item.pk + v) % choices(item)
        )
    reader, taker = Client(), Client()
    reader.force_login(person)
    question = taker.post(reverse("taking:attempt_start"))["Location"]
    hr, cohort = import_people(people)
    hr_client = Client()
    hr_client.force_login(hr)
    return {
        "home": (reverse("taking:home"), anonymous),
        "question": (question, taker),
        "result": (reverse("taking:result_detail", args=[result.token]), anonymous),
        "history": (reverse("accounts:history"), reader),
        "HR completion": (reverse("cohorts:detail", args=[cohort.pk]), hr_client),
        "HR people": (reverse("cohorts:participants", args=[cohort.pk]), hr_client),
        "HR search": (reverse("cohorts:participants", args=[cohort.pk]) + "?q=99", hr_client),
    }


def cookie(client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    with sandbox(None, manifest=True) as site:
        site.setup()
        site.manage("collectstatic", "--no-input")
        read = pages(args.people)
        medians = {name: statistics.median(page_times(c, u, 20)) for name, (u, c) in read.items()}
        server = start_server(site, "pages", 2, "1" if PIN else None)
        try:
            hello = wrk(server.base + HELLO, "", args.duration)["rps"]
            for name, (url, client) in read.items():
                run = wrk(server.base + url, cookie(client), args.duration)
                share, aim = 100 * run["rps"] / hello, AIMS.get(name)
                verdict = f"aim {aim}%: {'met' if share >= aim else 'NOT met'}" if aim else ""
                print(
                    f"{name:<14} in-process {medians[name]:6.1f} ms  {run['rps']:7.1f} req/s  "
                    f"p50 {run['p50']:6.1f} ms  {share:5.2f}% of hello ({hello:.0f}/s)  {verdict}"
                )
        except BenchError as error:
            print(f"pages failed: {error}", file=sys.stderr)
            return 1
        finally:
            stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
