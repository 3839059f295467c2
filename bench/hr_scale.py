"""How the HR area scales: a 5,000-row CSV import and a 5,000-person cohort page. Prints
timings (SQLite, or with --database postgres a database of its own), asserts none."""

import statistics
import time
from typing import Any

from inproc import hr_cohort, page_times, query_count
from report import Options, arguments
from sandbox import sandbox

OPTIONS: Options = [("--database", ("sqlite", "postgres"), ""), ("--people", 5000, "")]
OPTIONS += [("--database-name", "spectrum_bench", "with postgres")]


def import_people(people: int) -> tuple[Any, Any]:
    """The HR admin and the cohort, after importing `people` through the upload's services;
    half of them completed and a tenth started, everyone sent an invitation and everyone
    who has not completed a reminder (rows the completion page reads)."""
    from assessments.cohorts.participants import import_confirm, import_preview
    from assessments.cohorts.progress import progress_rebuild
    from assessments.models import Attempt, OutboundEmail

    hr, cohort, _ = hr_cohort([])
    rows = [f"Person {i},person{i}@example.com,Team {i % 20:02d}" for i in range(people)]
    data = "\n".join(["name,email,team", *rows, ""]).encode()
    began = time.perf_counter()
    pending = import_preview(cohort=cohort, data=data, filename="bench.csv", created_by=hr)
    checked = time.perf_counter()
    import_confirm(pending=pending)
    print(
        f"{people} people, CSV {len(data) / 1024:.0f} KB: check and preview "
        f"{checked - began:.2f} s, confirm {time.perf_counter() - checked:.2f} s"
    )
    done, started = Attempt.Status.SUBMITTED, Attempt.Status.IN_PROGRESS
    Attempt.objects.bulk_create(
        Attempt(
            bank_version=cohort.bank_version, participant=person, status=started if i % 2 else done
        )
        for i, person in enumerate(cohort.participants.order_by("pk"))
        if i % 2 == 0 or i % 10 == 1
    )
    sent, kind = OutboundEmail.Status.SENT, OutboundEmail.Kind
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            kind=email_kind,
            status=sent,
            to=person.email,
            subject="Bench",
            body="Bench",
            cohort=cohort,
            participant=person,
            sent_at=person.created_at,
        )
        for i, person in enumerate(cohort.participants.order_by("pk"))
        for email_kind in ([kind.INVITATION] if i % 2 == 0 else [kind.INVITATION, kind.REMINDER])
    )
    progress_rebuild()  # the rows above were written straight into the tables
    return hr, cohort


def main() -> None:
    args = arguments(__doc__, OPTIONS)
    with sandbox(args.database_name if args.database == "postgres" else None) as site:
        site.setup()
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        print(f"HR at scale, {time.strftime('%Y-%m-%d %H:%M')}, on {connection.vendor}")
        hr, cohort = import_people(args.people)
        client = Client()
        client.force_login(hr)
        pages = {"cohort list": reverse("cohorts:list")}
        pages["completion page"] = reverse("cohorts:detail", args=[cohort.pk])
        for name, url in pages.items():
            queries, size = query_count(client, url), len(client.get(url).content)
            times = page_times(client, url, 20)
            print(
                f"{name}: {queries} queries, {size / 1024:.0f} KB; median "
                f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms over 20 requests"
            )


if __name__ == "__main__":
    main()
