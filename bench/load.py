"""Load: many people taking the assessment at once on gunicorn and PostgreSQL.

Prints requests per second, latency and who used the CPUs; exits 1 when an attempt
was lost, duplicated or partial or a 5xx was seen, 2 when something failed to run.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

import requests
from cpu import CpuUse
from invariants import compare_with_clients
from report import latency_by_kind, latency_line, machine_load, status_counts, verdict
from sandbox import BenchError, sandbox
from scenario import Run, run_clients
from servers import Server, pin_self, start_server, stop_server


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
    parser.add_argument("--database-name", default="spectrum_load")
    parser.add_argument("--keep-database", action="store_true")
    return parser.parse_args()


def hello_world(base: str, clients: int, seconds: float) -> str:
    """The same clients on a view with no database, to compare with."""
    times: list[float] = []
    stop = time.monotonic() + seconds

    def run() -> None:
        with requests.Session() as session:
            while time.monotonic() < stop:
                began = time.monotonic()
                if session.get(f"{base}/bench/hello/", timeout=30).status_code != 200:
                    raise BenchError("/bench/hello/ did not answer 200")
                times.append(time.monotonic() - began)  # list.append is atomic

    began = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return (
        f"hello-world view (/bench/hello/, no database), {clients} clients for {elapsed:.1f} s: "
        f"{len(times) / elapsed:.0f} requests/s\n" + latency_line("hello", times)
    )


def show_run(run: Run, args: argparse.Namespace, cpu_line: str) -> list[str]:
    """Print the run's figures; return its problems (5xx, attempts not finished)."""
    completed = sum(r.completed for r in run.records)
    errors = [h for h in run.hits if h.status == 0 or h.status >= 400]
    five = [h for h in errors if h.status >= 500]
    print(
        f"\n{args.clients} clients x {args.attempts} attempts: {len(run.hits)} requests in "
        f"{run.seconds:.1f} s = {len(run.hits) / run.seconds:.0f} requests/s, "
        f"{completed / run.seconds:.1f} finished attempts/s"
    )
    print(f"  statuses: {status_counts(run.hits)}")
    print(
        f"  attempts finished (result page 200): {completed}/{len(run.records)}; failed: "
        f"{len(run.failures)}; 5xx: {len(five)}; other errors: {len(errors) - len(five)}"
    )
    for line in run.failures[:10]:
        print(f"    {line}")
    latency_by_kind(run.hits)
    print(f"  {cpu_line}\n  after: {machine_load()}")
    problems = [f"{len(five)} responses with a 5xx status"] if five else []
    if run.failures:
        problems.append(f"{len(run.failures)} attempts did not finish")
    return problems


def load(server: Server, args: argparse.Namespace) -> int:
    workers_before = server.worker_pids()
    cpu = CpuUse([server], args.database_name)
    cpu.start()

    def double(n: int) -> str:  # every 10th: after the answer, then twice at once, in turn
        return "" if n % 10 != 9 else ("sequential", "concurrent")[(n // 10) % 2]

    run = run_clients(server.base, args.clients, args.attempts, double)
    problems = show_run(run, args, cpu.stop(len(run.hits)))
    if server.worker_pids() != workers_before:
        print("  note: gunicorn replaced a worker during the run (see its log)")
    facts, found = compare_with_clients(run.records)
    ok = "stored attempts equal those sent, no duplicates, no partial attempts, no 5xx"
    if code := verdict("Database against what the clients did:", facts, found + problems, ok):
        print(f"gunicorn log tail:\n{server.log_tail(3000)}")
    return code


def main() -> int:
    args = parse_args()
    pin_self(args.client_cpus)
    started = time.monotonic()
    with sandbox(args.database_name, keep=args.keep_database) as site:
        server = None
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
                f"  load generator: this process, {args.clients} threads, requests (one Session"
                f" per client), CPUs {args.client_cpus}\n  set-up: "
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + f"\n  before: {machine_load()}"
            )
            if args.hello_seconds:
                print("  " + hello_world(server.base, args.clients, args.hello_seconds))
            code = load(server, args)
            print(f"\nRun time {time.monotonic() - started:.1f} s")
            return code
        except BenchError as error:
            print(f"load failed: {error}", file=sys.stderr)
            return 2
        finally:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
