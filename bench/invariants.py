"""What must hold in the database, as queries that count the rows breaking it.

`broken_counts` holds whatever anyone did: tests/test_invariants.py runs it after
the app's services, and the load, fault and two-server benchmarks after a run.
`compare_with_clients` also checks a run's database against what its clients did.
Imports Django inside the functions: the benchmarks import this before setting it up.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AttemptRecord:
    """What a client did with one attempt: what the database is checked against."""

    attempt_id: str = ""
    answers: dict[int, int] = field(default_factory=dict)
    token: str = ""
    completed: bool = False  # the result page was shown with 200
    final_post_answered: bool = False  # the last page's POST got a redirect to a result
    double_submit: str = ""  # "", "sequential" or "concurrent"
    double_tokens: list[str] = field(default_factory=list)
    failure: str = ""


def broken_counts() -> dict[str, int]:
    """For each invariant, how many rows break it (all 0 when the data is sound)."""
    from django.db.models import Count, F

    from assessments.models import Attempt, Item, Response, Result

    shapes = Item.objects.order_by().values("version")
    shapes = shapes.annotate(items=Count("pk"), dimensions=Count("dimension", distinct=True))
    attempts = Attempt.objects.annotate(
        n_responses=Count("responses", distinct=True), n_results=Count("result", distinct=True)
    )
    submitted = attempts.filter(status=Attempt.Status.SUBMITTED)
    results = Result.objects.annotate(n_scores=Count("scores"))
    return {
        "submitted attempts without one answer per item of their bank": sum(
            submitted.filter(bank_version=s["version"]).exclude(n_responses=s["items"]).count()
            for s in shapes
        ),
        "submitted attempts without a result": submitted.filter(n_results=0).count(),
        "in-progress attempts with a result": attempts.filter(
            status=Attempt.Status.IN_PROGRESS, n_results__gt=0
        ).count(),
        "results without one score per dimension of their bank": sum(
            results.filter(bank_version=s["version"]).exclude(n_scores=s["dimensions"]).count()
            for s in shapes
        ),
        "answers to items of another bank version": Response.objects.exclude(
            item__version=F("attempt__bank_version")
        ).count(),
    }


def attempt_problems() -> list[str]:
    """The broken invariants, said in words; empty when every one holds."""
    return [f"{count} {what}" for what, count in broken_counts().items() if count]


def compare_with_clients(
    records: list[AttemptRecord], *, exact: bool = True
) -> tuple[list[str], list[str]]:
    """What is stored, against what the clients did. Returns (facts, problems).

    `exact`: no request failed, so the counts must match one for one. After a
    fault a start or a submit may be committed while its response was lost;
    then answered submits must be stored and everything stored must be whole.
    """
    from django.db import connections

    connections.close_all()  # never reuse a connection from before a restart
    facts, problems = _counts(records, exact)
    broken = broken_counts()
    facts.append("rows breaking an invariant: " + ", ".join(f"{k} {v}" for k, v in broken.items()))
    problems += attempt_problems()
    for check in (_pages, _as_sent, _doubles):
        more_facts, more_problems = check(records)
        facts += more_facts
        problems += more_problems
    connections.close_all()
    return facts, problems


def _counts(records: list[AttemptRecord], exact: bool) -> tuple[list[str], list[str]]:
    from assessments.models import Attempt, DimensionScore, Result

    started = {r.attempt_id for r in records if r.attempt_id}
    answered = {r.attempt_id for r in records if r.final_post_answered}
    stored = {str(pk) for pk in Attempt.objects.values_list("pk", flat=True)}
    submitted = {str(pk) for pk in Attempt.objects.submitted().values_list("pk", flat=True)}
    facts = [
        f"attempts stored {len(stored)} (submitted {len(submitted)}, in progress "
        f"{len(stored) - len(submitted)}); clients: start answered {len(started)}, final POST "
        f"answered with a result {len(answered)}, result page shown "
        f"{sum(r.completed for r in records)}",
        f"results stored {Result.objects.count()}; dimension scores stored "
        f"{DimensionScore.objects.count()}",
    ]
    if exact:
        problems = []
        if stored != started:
            problems.append(f"{len(stored)} attempts stored for {len(started)} starts answered")
        if submitted != answered:
            problems.append(f"{len(submitted)} attempts submitted for {len(answered)} submits")
        return facts, problems
    facts.append(
        f"attempts stored whose start response the client never got: {len(stored - started)} "
        "(committed, then the response was lost or was an error page)"
    )
    facts.append(
        "submitted attempts whose final POST the client saw fail: "
        f"{len((submitted & started) - answered)} (stored whole; the client retried)"
    )
    lost = answered - submitted
    return facts, [f"{len(lost)} submits answered with a result are not stored"] if lost else []


def _pages(records: list[AttemptRecord]) -> tuple[list[str], list[str]]:
    """The clients answer whole pages and each page is saved in one transaction: an
    answer count that is not a multiple of the page size is a half-saved page."""
    from django.db.models import Count

    from assessments.models import Attempt
    from assessments.taking.selectors import PAGE_SIZE

    in_progress: dict[int, int] = {}
    half = 0
    for status, n in Attempt.objects.annotate(n=Count("responses")).values_list("status", "n"):
        half += n % PAGE_SIZE != 0
        if status == Attempt.Status.IN_PROGRESS:
            in_progress[n] = in_progress.get(n, 0) + 1
    shape = ", ".join(f"{k}: {v}" for k, v in sorted(in_progress.items())) or "none"
    facts = [f"attempts with a half-saved page: {half}; in progress by answers stored: {shape}"]
    return facts, [f"{half} attempts with a half-saved page"] if half else []


def _as_sent(records: list[AttemptRecord]) -> tuple[list[str], list[str]]:
    """Every answer sent for a finished attempt is stored as sent, and every token a
    client was given belongs to its own attempt."""
    from assessments.models import Response, Result

    answered = [r for r in records if r.final_post_answered]
    ids = [r.attempt_id for r in answered]
    stored: dict[str, dict[int, int]] = {}
    rows = Response.objects.filter(attempt_id__in=ids).values_list("attempt_id", "item_id", "value")
    for attempt_id, item_id, value in rows:
        stored.setdefault(str(attempt_id), {})[item_id] = value
    tokens = {str(k): v for k, v in Result.objects.values_list("attempt_id", "token")}
    differ = sum(stored.get(r.attempt_id) != r.answers for r in answered)
    wrong = sum(tokens.get(r.attempt_id) != r.token for r in answered)
    facts = [
        f"finished attempts whose stored answers equal those sent: {len(ids) - differ}/"
        f"{len(ids)}; tokens matching: {len(ids) - wrong}/{len(ids)}"
    ]
    problems = [f"{differ} finished attempts whose stored answers differ"] if differ else []
    return facts, problems + ([f"{wrong} result tokens not their attempt's"] if wrong else [])


def _doubles(records: list[AttemptRecord]) -> tuple[list[str], list[str]]:
    """A last page sent again is answered with the first result's token."""
    doubles = [r for r in records if r.final_post_answered and r.double_submit]
    if not doubles:
        return [], []
    same = sum(bool(r.double_tokens) and set(r.double_tokens) == {r.token} for r in doubles)
    kinds = ", ".join(sorted({r.double_submit for r in doubles}))
    facts = [f"double submits ({kinds}): {len(doubles)}, answered with the first token: {same}"]
    other = len(doubles) - same
    return facts, [f"{other} double submits got another token"] if other else []
