"""What must hold in the database, as queries counting the rows that break it: after the
app's services in tests/test_invariants.py, and after the load, fault and two-server runs,
which also compare the database with what their clients did. Django is imported inside the
functions: the benchmarks import this module before they set Django up."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class AttemptRecord:
    """What a client did with one attempt: what the database is checked against."""

    attempt_id: str = ""
    answers: dict[int, int] = field(default_factory=dict)
    token: str = ""
    completed: bool = False  # the result page was shown
    final_post_answered: bool = False  # the last page's POST was answered with a result
    double_submit: str = ""  # "", "sequential" or "concurrent"
    double_tokens: list[str] = field(default_factory=list)
    failure: str = ""
    pages: int = 0  # how many pages the attempt has, read from its first page


def broken_counts() -> dict[str, int]:
    """For each invariant, how many rows break it."""
    from django.db.models import Count, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from assessments.models import Attempt, Item, Response, Result

    bank = Item.objects.filter(version=OuterRef("bank_version")).order_by().values("version")
    items = Coalesce(Subquery(bank.annotate(n=Count("pk")).values("n")), 0)
    dimensions = Coalesce(
        Subquery(bank.annotate(n=Count("dimension", distinct=True)).values("n")), 0
    )
    attempts = Attempt.objects.annotate(
        n_answers=Count("responses", distinct=True), n_results=Count("result", distinct=True)
    ).annotate(n_items=items)
    results = Result.objects.annotate(n_scores=Count("scores"), n_dimensions=dimensions)
    return {
        "submitted attempts without one answer per item of their bank": attempts.submitted()
        .exclude(n_answers=F("n_items"))
        .count(),
        "submitted attempts without a result": attempts.submitted().filter(n_results=0).count(),
        "attempts in progress with a result": attempts.in_progress().exclude(n_results=0).count(),
        "results without one score per dimension of their bank": results.exclude(
            n_scores=F("n_dimensions")
        ).count(),
        "answers to items of another bank version": Response.objects.exclude(
            item__version=F("attempt__bank_version")
        ).count(),
        "teams whose stored progress is not what their people say": len(progress_mismatches()),
    }


def progress_mismatches() -> list[str]:
    """Each (cohort, team) whose stored progress (TeamProgress) differs from a
    count of its people, with both: empty when every stored figure is right."""
    from assessments.cohorts.progress import FIGURES, counted_by_team
    from assessments.models import Participant, TeamProgress

    stored = {
        (row.cohort_id, row.team_id): {name: getattr(row, name) for name in FIGURES}
        for row in TeamProgress.objects.all()
    }
    zero = dict.fromkeys(FIGURES, 0)
    mismatches = []
    for cohort_id in Participant.objects.values_list("cohort_id", flat=True).order_by().distinct():
        people = Participant.objects.filter(cohort_id=cohort_id)
        for team_id, counted in counted_by_team(people).items():
            if stored.pop((cohort_id, team_id), zero) != counted:
                mismatches.append(f"cohort {cohort_id} team {team_id}: counted {counted}")
    # What is left is stored for teams nobody is in any more: it must be all zero.
    mismatches += [
        f"{key}: stored {row}, nobody there" for key, row in stored.items() if row != zero
    ]
    return mismatches


def attempt_problems() -> list[str]:
    """The broken invariants, said in words: empty when every one holds."""
    return [f"{count} {what}" for what, count in broken_counts().items() if count]


def compare_with_clients(
    records: list[AttemptRecord], exact: bool = True
) -> tuple[list[str], list[str]]:
    """(facts, problems) of what is stored against what the clients did. `exact`: no request
    failed, so every attempt stored and submitted is one a client saw started and submitted;
    after a fault, a start or a submit may be stored while its answer was lost."""
    from django.db import connections
    from django.db.models import Count

    from assessments.models import Attempt

    connections.close_all()  # never reuse a connection from before a restart
    rows = Attempt.objects.annotate(n=Count("responses")).values_list("pk", "status", "n")
    stored = {str(pk): (status, n) for pk, status, n in rows}
    submitted = {pk for pk, (status, _) in stored.items() if status == Attempt.Status.SUBMITTED}
    waiting = Counter(n for pk, (_, n) in stored.items() if pk not in submitted)
    started = {r.attempt_id for r in records if r.attempt_id}
    finished = {r.attempt_id for r in records if r.final_post_answered}
    unseen = {
        "stored, their start not seen": len(stored.keys() - started),
        "submitted, their submit not seen": len(submitted - finished),
    }
    wrong = (
        broken_counts() | against_clients(records, stored, submitted) | (unseen if exact else {})
    )
    facts = [
        f"attempts stored {len(stored)}, submitted {len(submitted)}; in progress by answers "
        f"stored {dict(sorted(waiting.items()))}; clients: starts answered {len(started)}, "
        f"submits answered {len(finished)}, result pages shown {sum(r.completed for r in records)}",
        "invariants, rows breaking each: " + ", ".join(f"{k} {v}" for k, v in wrong.items()),
    ]
    if not exact:
        facts.append("after the fault: " + ", ".join(f"{k} {v}" for k, v in unseen.items()))
    connections.close_all()
    return facts, [f"{n} {what}" for what, n in wrong.items() if n]


def against_clients(
    records: list[AttemptRecord], stored: dict[str, tuple[str, int]], submitted: set[str]
) -> dict[str, int]:
    """For each promise to the clients, how many attempts break it."""
    from django.db.models import Count

    from assessments.models import Attempt, Response, Result
    from assessments.taking.selectors import PAGE_SIZE

    answered = [r for r in records if r.final_post_answered]
    items = {
        str(pk): n
        for pk, n in Attempt.objects.filter(pk__in=list(stored))
        .annotate(n=Count("bank_version__items"))
        .values_list("pk", "n")
    }
    tokens = {str(pk): token for pk, token in Result.objects.values_list("attempt_id", "token")}
    sent = {r.attempt_id: r.answers for r in answered}
    saved: dict[str, dict[int, int]] = {attempt_id: {} for attempt_id in sent}
    rows = Response.objects.filter(attempt_id__in=list(sent))
    for attempt_id, item_id, value in rows.values_list("attempt_id", "item_id", "value"):
        saved[str(attempt_id)][item_id] = value
    return {
        "starts answered and not stored": len(
            {r.attempt_id for r in records} - stored.keys() - {""}
        ),
        "submits answered with a result and not stored": len(sent.keys() - submitted),
        # Each page's answers are saved in one transaction and the clients answer whole
        # pages: whole pages of PAGE_SIZE, or every item once the last (shorter) page is in.
        "attempts with a half-saved page": sum(
            n % PAGE_SIZE != 0 and n != items.get(attempt_id)
            for attempt_id, (_, n) in stored.items()
        ),
        "finished attempts whose answers differ from those sent": sum(
            saved[k] != v for k, v in sent.items()
        ),
        "result tokens not their attempt's": sum(
            tokens.get(r.attempt_id) != r.token for r in answered
        ),
        "double submits answered with another token": sum(
            set(r.double_tokens) != {r.token} for r in answered if r.double_submit
        ),
    }
