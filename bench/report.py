"""Figures as the benchmarks print them."""

from __future__ import annotations

import os
from collections import Counter

from client import Hit

KINDS = {
    "home": "GET /",
    "start": "POST start",
    "page": "GET question page",
    "answer": "POST page 1-3",
    "submit": "POST page 4 (submit)",
    "resubmit": "POST page 4 again",
    "result": "GET result",
}


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_line(label: str, seconds: list[float]) -> str:
    values = sorted(seconds)
    if not values:
        return f"  {label:<22} (none)"
    p50, p95, p99 = (percentile(values, f) * 1000 for f in (0.50, 0.95, 0.99))
    return (
        f"  {label:<22} {len(values):>6}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"p99 {p99:7.1f} ms  max {values[-1] * 1000:7.1f} ms"
    )


def latency_by_kind(hits: list[Hit]) -> None:
    print("  latency (each request alone, redirects not followed):")
    print(latency_line("all requests", [h.seconds for h in hits]))
    for kind, label in KINDS.items():
        print(latency_line(label, [h.seconds for h in hits if h.kind == kind]))


def status_counts(hits: list[Hit]) -> str:
    counts = Counter(str(hit.status) if hit.status else hit.error for hit in hits)
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))


def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def verdict(title: str, facts: list[str], problems: list[str], ok: str) -> int:
    """Print the checks' facts, then the problems or `ok`; 1 if there are problems."""
    print(f"\n{title}")
    for line in facts:
        print(f"  {line}")
    print("PROBLEMS:" if problems else f"  OK: {ok}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0
