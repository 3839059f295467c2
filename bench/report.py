"""Options and figures as the benchmarks take and print them."""

import argparse
import os
from collections import Counter

from scenario import Hit, Run

Options = list[tuple[str, object, str]]  # (flag, default, help)


def arguments(doc: str, options: Options) -> argparse.Namespace:
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
    values = sorted(seconds) or [float("nan")]
    rank = [min(len(values), max(1, round(f * len(values) + 0.5))) - 1 for f in (0.5, 0.95, 0.99)]
    p50, p95, p99 = (values[r] * 1000 for r in rank)
    return (
        f"  {label:<22} {len(seconds):>6}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"p99 {p99:7.1f} ms  max {values[-1] * 1000:7.1f} ms"
    )


def status_counts(hits: list[Hit]) -> str:
    counts = Counter(str(hit.status) if hit.status else hit.error for hit in hits)
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))


def machine_load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def verdict(title: str, facts: list[str], problems: list[str], ok: str) -> int:
    """The checks' facts, then the problems or `ok`; 1 if there are problems."""
    ending = ["PROBLEMS:", *problems] if problems else [f"OK: {ok}"]
    print(f"\n{title}", *facts, *ending, sep="\n  ")
    return 1 if problems else 0


def run_figures(run: Run) -> None:
    """Requests per second, statuses, and latency by kind of request (redirects not followed)."""
    finished, kinds = sum(r.completed for r in run.records), sorted({h.kind for h in run.hits})
    print(
        f"\n{len(run.hits)} requests in {run.seconds:.1f} s = {len(run.hits) / run.seconds:.0f} "
        f"requests/s, {finished / run.seconds:.1f} finished attempts/s\n  statuses: "
        f"{status_counts(run.hits)}\n  attempts: {finished} finished, {len(run.records)} taken, "
        f"{len(run.failures)} given up; after: {machine_load()}\n"
        + latency_line("all requests", [h.seconds for h in run.hits])
    )
    for kind in kinds:
        print(latency_line(kind, [h.seconds for h in run.hits if h.kind == kind]))
