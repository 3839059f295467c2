"""Load: many people taking the assessment at once on gunicorn and PostgreSQL.

Run on demand from the project folder (PostgreSQL on 127.0.0.1:5432, user
postgres, trust):

    .venv/bin/pip install requests        # the HTTP client; not a project dependency
    .venv/bin/python bench/load.py        # 50 clients x 40 attempts, 2-5 minutes

It creates the database `spectrum_load` (dropped at the end), migrates it and
loads the default bank, starts gunicorn (`config.wsgi`, DEBUG off) pinned with
`taskset`, and runs the clients in threads of this process (pinned too). Each
client takes its attempts one after another, each as a new person: GET / for
the CSRF cookie, POST /assessment/start/, then for each of the 4 pages a GET
and a POST of 6 answers, then the result page; every 10th attempt sends its
last page again (sequentially, or twice at the same moment, in turn).
Redirects are not followed automatically: every request is timed on its own.

Afterwards it checks the database against what the clients did and prints
requests per second, latency percentiles, counts and run time. It asserts no
time; it exits 1 when an invariant is broken (lost, duplicate or partial
attempts, a 5xx), 2 when something failed to run.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    AttemptRecord,
    BenchError,
    Browser,
    CpuUse,
    Hit,
    Site,
    StepFailed,
    check_database,
    latency_line,
    machine_load,
    pin_self,
    start_server,
    status_counts,
    stop_server,
    take_attempt,
)

DATABASE = "spectrum_load"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--attempts", type=int, default=40, help="per client")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--server-cpus", default="0,1", help="taskset -c for gunicorn")
    parser.add_argument("--client-cpus", default="1", help="CPUs for this load generator")
    parser.add_argument("--hello-seconds", type=float, default=5, help="0 to skip")
    parser.add_argument("--keep-database", action="store_true")
    return parser.parse_args()


def hello_world(base: str, clients: int, seconds: float) -> str:
    """The same clients on a view with no database, to compare with."""
    import requests

    hits: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run() -> None:
        session = requests.Session()
        mine = []
        while time.monotonic() < stop:
            began = time.monotonic()
            response = session.get(f"{base}/bench/hello/", timeout=30)
            if response.status_code != 200:
                raise BenchError(f"/bench/hello/ answered {response.status_code}")
            mine.append(time.monotonic() - began)
        with lock:
            hits.extend(mine)

    began = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return (
        f"hello-world view (/bench/hello/, no database), {clients} clients for {elapsed:.1f} s: "
        f"{len(hits) / elapsed:.0f} requests/s\n" + latency_line("hello", hits)
    )


def main() -> int:
    args = parse_args()
    pin_self(args.client_cpus)
    started = time.monotonic()
    site = Site(DATABASE)
    server = None
    exit_code = 0
    try:
        timings = site.setup()
        server = start_server(
            site,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
            cpus=args.server_cpus,
        )
        print(f"Load, {time.strftime('%Y-%m-%d %H:%M')}: {server.describe()}")
        print(
            f"  load generator: this process, {args.clients} threads, requests "
            f"(one Session per client), CPUs {args.client_cpus}"
        )
        print("  set-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
        print(f"  before: {machine_load()}")
        if args.hello_seconds:
            print("  " + hello_world(server.base, args.clients, args.hello_seconds))

        hits: list[Hit] = []
        records: list[AttemptRecord] = []
        failures: list[str] = []
        lock = threading.Lock()
        workers_before = server.worker_pids()

        def client(number: int) -> None:
            rng = random.Random(number)  # noqa: S311 - answers, not secrets
            browser = Browser([("A", server.base)], hits)
            mine = []
            for n in range(args.attempts):
                record = AttemptRecord()
                mine.append(record)
                double = ""
                if n % 10 == 9:
                    double = "sequential" if (n // 10) % 2 == 0 else "concurrent"
                try:
                    take_attempt(browser, record, rng, double_submit=double)
                except (StepFailed, BenchError) as error:
                    record.failure = str(error)
                    with lock:
                        failures.append(f"client {number} attempt {n}: {error}")
            with lock:
                records.extend(mine)

        cpu = CpuUse([server], DATABASE)
        cpu.start()
        began = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        cpu_line = cpu.stop(len(hits))
        load_after = machine_load()

        completed = sum(r.completed for r in records)
        errors = [h for h in hits if h.status == 0 or h.status >= 400]
        five = [h for h in hits if h.status >= 500]
        print(
            f"\n{args.clients} clients x {args.attempts} attempts: {len(hits)} requests in "
            f"{elapsed:.1f} s = {len(hits) / elapsed:.0f} requests/s, "
            f"{completed / elapsed:.1f} finished attempts/s"
        )
        print(f"  statuses: {status_counts(hits)}")
        print(
            f"  attempts finished (result page 200): {completed}/{len(records)}; "
            f"failed: {len(failures)}; 5xx: {len(five)}; other errors: {len(errors) - len(five)}"
        )
        for line in failures[:10]:
            print(f"    {line}")
        print("  latency (each request alone, redirects not followed):")
        print(latency_line("all requests", [h.seconds for h in hits]))
        for kind, label in (
            ("home", "GET /"),
            ("start", "POST start"),
            ("page", "GET question page"),
            ("answer", "POST page 1-3"),
            ("submit", "POST page 4 (submit)"),
            ("resubmit", "POST page 4 again"),
            ("result", "GET result"),
        ):
            print(latency_line(label, [h.seconds for h in hits if h.kind == kind]))
        print(f"  {cpu_line}")
        print(f"  after: {load_after}")
        if server.worker_pids() != workers_before:
            print("  note: gunicorn replaced a worker during the run (see its log)")

        facts, problems = check_database(records)
        if five:
            problems.append(f"{len(five)} responses with a 5xx status")
        if failures:
            problems.append(f"{len(failures)} attempts did not finish")
        print("\nDatabase against what the clients did:")
        for fact in facts:
            print(f"  {fact}")
        if problems:
            exit_code = 1
            print("PROBLEMS:")
            for problem in problems:
                print(f"  {problem}")
            print(f"gunicorn log tail:\n{server.log_tail(3000)}")
        else:
            print(
                "  OK: stored attempts equal those sent, no duplicates, no partial attempts, no 5xx"
            )
        print(f"\nRun time {time.monotonic() - started:.1f} s (load phase {elapsed:.1f} s)")
    except BenchError as error:
        print(f"load failed: {error}", file=sys.stderr)
        exit_code = 2
    finally:
        stop_server(server)
        print(site.close(drop=not args.keep_database))
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
