"""Options and figures as the benchmarks take and print them."""

import argparse
import os
from collections import Counter

from client import Hit
from scenario import Run

KINDS = {"home": "GET /", "start": "POST start", "page": "GET question page"}
KINDS |= {"answer": "POST page 1-3", "submit": "POST page 4 (submit)"}
KINDS |= {"resubmit": "POST page 4 again", "result": "GET result"}


def arguments(doc: str, options: list[tuple[str, object, str]]) -> argparse.Namespace:
    """Options from (flag, default, help): a switch if the default is False, a choice of
    the tuple's values (the first by default), else a value of the default's type."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    for flag, default, text in options:
        if isinstance(default, bool):
            parser.add_argument(flag, action="store_true", help=text)
        elif isinstance(default, tuple):
            parser.add_argument(flag, choices=default, default=default[0], help=text)
        else:
            parser.add_argument(flag, type=type(default), default=default, help=text)
    return parser.parse_args()


def latency_line(label: str, seconds: list[float]) -> str:
    """Count, nearest-rank p50, p95 and p99, and the maximum."""
    if not (values := sorted(seconds)):
        return f"  {label:<22} (none)"
    p50, p95, p99 = (
        values[min(len(values), max(1, round(f * len(values) + 0.5))) - 1] * 1000
        for f in (0.5, 0.95, 0.99)
    )
    return (
        f"  {label:<22} {len(values):>6}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"p99 {p99:7.1f} ms  max {values[-1] * 1000:7.1f} ms"
    )


def latency_by_kind(hits: list[Hit]) -> str:
    lines = [latency_line("all requests", [h.seconds for h in hits])]
    lines += [
        latency_line(label, [h.seconds for h in hits if h.kind == k]) for k, label in KINDS.items()
    ]
    return "\n".join(["  latency (each request alone, redirects not followed):", *lines])


def status_counts(hits: list[Hit]) -> str:
    counts = Counter(str(hit.status) if hit.status else hit.error for hit in hits)
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))


def machine_load() -> str:
    return (
        "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) + f" on {os.cpu_count()} CPUs"
    )


def verdict(title: str, facts: list[str], problems: list[str], ok: str) -> int:
    """The checks' facts, then the problems or `ok`; 1 if there are problems."""
    print(
        f"\n{title}\n"
        + "".join(f"  {line}\n" for line in facts)
        + ("PROBLEMS:" if problems else f"  OK: {ok}")
    )
    print("".join(f"  {problem}\n" for problem in problems), end="")
    return 1 if problems else 0


def run_figures(run: Run) -> None:
    finished = sum(r.completed for r in run.records)
    print(
        f"\n{len(run.hits)} requests in {run.seconds:.1f} s = {len(run.hits) / run.seconds:.0f} "
        f"requests/s, {finished / run.seconds:.1f} finished attempts/s\n  statuses: "
        f"{status_counts(run.hits)}\n  attempts: {finished} finished, {len(run.records)} taken, "
        f"{len(run.failures)} given up\n{latency_by_kind(run.hits)}\n  after: {machine_load()}"
    )
