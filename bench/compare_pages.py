"""The pages of pages.py, in this checkout and in an earlier revision, timed in turns: does
a change make them slower or faster? Prints each page's CPU time a request in both, and
the ratio, asserts none.

A run of pages.py before and another after differ by as much as the machine's speed
drifts between them (20-60% here within minutes, on a shared two-core machine), more
than most changes do. So this checks the revision out in a git worktree, sets both up
side by side as pages.py does (each its own SQLite site, 300 people in the HR cohort
unless --people says otherwise),
and asks them in turns, page by page and round by round, for a sample of requests
each: the drift falls on both alike. Each pair of processes lays its memory out afresh
(and this differs by a few percent from process to process), so several pairs run one
after the other. A sample is the thread CPU time of each request,
in-process (the database is SQLite, in the same thread), which a pause of the process
does not count; its minimum is the figure least disturbed. The ratio is the median over
all rounds of all pairs of after / before.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from report import Options, arguments

ROOT = Path(__file__).resolve().parents[1]
OPTIONS: Options = [
    ("--before", "06703b2", "the earlier revision"),
    ("--pairs", 3, "fresh pairs of processes, one after the other"),
    ("--rounds", 6, "turns of every page in each pair"),
    ("--requests", 30, "requests a page a turn"),
    ("--people", 300, "in the HR cohort (pages.py's default is 5000)"),
]


def worker(people: int) -> None:
    """Runs in a checkout's bench/ with that checkout first on the path: answers
    "page\\tcount" lines with a JSON list of each request's CPU milliseconds."""
    sys.path.insert(0, os.getcwd())
    import pages
    from inproc import page_times
    from sandbox import sandbox

    with sandbox(None, manifest=True) as site:
        site.setup()
        site.manage("collectstatic", "--no-input", "-v", "0")
        from django.test import Client

        read: dict[str, tuple[str, Any]] = dict(pages.pages(people))
        read["hello-world"] = ("/bench/hello/", Client())
        for url, client in read.values():
            page_times(client, url, 20)  # warm templates, connections and caches
        print("READY " + json.dumps(list(read)), flush=True)
        for line in sys.stdin:
            name, count = line.rstrip("\n").split("\t")
            url, client = read[name]
            times = []
            for _ in range(int(count)):
                began = time.thread_time()
                client.get(url)
                times.append((time.thread_time() - began) * 1000)
            print(json.dumps(times), flush=True)


def git(*arguments: str, check: bool = True) -> None:
    command = ["/usr/bin/git", "-C", str(ROOT), *arguments]
    subprocess.run(command, check=check, capture_output=True)  # noqa: S603


def start(checkout: Path, log: Path, people: int) -> tuple[subprocess.Popen, list[str]]:
    environment = dict(os.environ, PYTHONPATH=f"{checkout}:{checkout / 'bench'}")
    process = subprocess.Popen(  # noqa: S603 - this script, in a checkout of this repository
        [sys.executable, str(Path(__file__).resolve()), "--worker", str(people)],
        cwd=checkout / "bench",
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("READY "):
            return process, json.loads(line[6:])
    raise SystemExit(f"{checkout} did not start; see {log}")


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    with tempfile.TemporaryDirectory(prefix="compare-") as folder:
        earlier = Path(folder) / "before"
        git("worktree", "add", "--detach", str(earlier), args.before)
        try:
            for shared in ("node_modules",):  # the front-end packages collectstatic reads
                (earlier / shared).symlink_to(ROOT / shared)
            print(f"before: {args.before}, after: this checkout", flush=True)
            minimum: dict[str, dict[str, list[float]]] = {}
            for pair in range(args.pairs):
                print(f"pair {pair + 1} of {args.pairs}", flush=True)
                workers = {
                    "before": start(earlier, Path(folder) / "before.log", args.people),
                    "after": start(ROOT, Path(folder) / "after.log", args.people),
                }
                names = workers["after"][1]
                for turn in range(args.rounds):
                    for name in names:
                        count = args.requests * (10 if name == "hello-world" else 1)
                        for side in ("before", "after") if turn % 2 == 0 else ("after", "before"):
                            process = workers[side][0]
                            assert process.stdin is not None and process.stdout is not None
                            process.stdin.write(f"{name}\t{count}\n")
                            process.stdin.flush()
                            least = min(json.loads(process.stdout.readline()))
                            minimum.setdefault(name, {"before": [], "after": []})[side].append(
                                least
                            )
                for process, _ in workers.values():
                    assert process.stdin is not None
                    process.stdin.close()
                    process.wait()
        finally:
            git("worktree", "remove", "--force", str(earlier), check=False)
    print(f"\n{'page':<14} {'before ms':>10} {'after ms':>9} {'after/before':>13}  range of rounds")
    for name in minimum:
        before, after = minimum[name]["before"], minimum[name]["after"]
        ratios = [b / a for a, b in zip(before, after, strict=True)]
        print(
            f"{name:<14} {statistics.median(before):10.3f} {statistics.median(after):9.3f} "
            f"{statistics.median(ratios):13.3f}  {min(ratios):.2f}-{max(ratios):.2f}"
        )
    print("\n(CPU time a request, the least of each sample; medians over rounds)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(int(sys.argv[2]))
    else:
        sys.exit(main())
