"""Load: many people taking the assessment at once on gunicorn and PostgreSQL.

Prints requests per second and latency; exits 1 when an attempt was lost, duplicated or
partial or a 5xx was seen, 2 when something failed to run."""

import sys
import time

from invariants import compare_with_clients
from report import Options, arguments, latency_line, machine_load, run_figures, verdict
from sandbox import BenchError, sandbox
from scenario import Browser, Hit, run_clients, run_threads
from servers import Server, pin_self, start_server, stop_server

OPTIONS: Options = [("--clients", 50, ""), ("--attempts", 40, "per client"), ("--workers", 4, "")]
OPTIONS += [("--worker-class", ("sync", "gthread"), ""), ("--threads", 1, "per gthread worker")]
OPTIONS += [("--server-cpus", "0,1", "taskset -c for gunicorn"), ("--client-cpus", "1", "")]
OPTIONS += [("--hello-seconds", 5.0, "0 to skip"), ("--database-name", "spectrum_load", "")]


def hello_world(base: str, clients: int, seconds: float) -> str:
    """The same clients on a view that touches no database, to compare with."""
    hits: list[Hit] = []
    stop = time.monotonic() + seconds

    def client() -> None:
        browser = Browser([("A", base)], hits)
        while time.monotonic() < stop:
            browser.request("hello", "/bench/hello/")

    elapsed = run_threads([client] * clients)
    rate = f"{clients} clients for {elapsed:.1f} s: {len(hits) / elapsed:.0f} requests/s"
    return f"  /bench/hello/, {rate}\n" + latency_line("hello", [h.seconds for h in hits])


def double(n: int) -> str:
    """Every 10th attempt sends its last page again: after the answer, then twice at once."""
    return "" if n % 10 != 9 else "sequential" if n // 10 % 2 == 0 else "concurrent"


def load(server: Server, clients: int, attempts: int) -> int:
    """The clients' run, its figures, and the database against what they did."""
    workers = server.worker_pids()
    run = run_clients(server.base, clients, attempts, double)
    run_figures(run)
    five = sum(h.status >= 500 for h in run.hits)
    problems = [f"{five} answers with a 5xx status"] if five else []
    problems += [f"attempt given up: {failure}" for failure in run.failures[:10]]
    if server.worker_pids() != workers:
        print("  note: gunicorn replaced a worker during the run (see its log)")
    facts, found = compare_with_clients(run.records)
    ok = "every attempt stored once and whole, as sent; no 5xx"
    if code := verdict("Database against what the clients did:", facts, found + problems, ok):
        print(f"gunicorn log tail:\n{server.log_tail()}")
    return code


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    pin_self(args.client_cpus)
    started, server = time.monotonic(), None
    with sandbox(args.database_name) as site:
        try:
            timings = site.setup()
            options = f"--worker-class={args.worker_class}", f"--threads={args.threads}"
            server = start_server(site, "A", args.workers, args.server_cpus, *options)
            print(
                f"Load, {time.strftime('%Y-%m-%d %H:%M')}: {server.describe}; {args.clients} "
                f"clients x {args.attempts} attempts in threads of this process on CPUs "
                f"{args.client_cpus}\n  set-up: "
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + f"\n  before: {machine_load()}"
            )
            if args.hello_seconds:
                print(hello_world(server.base, args.clients, args.hello_seconds))
            code = load(server, args.clients, args.attempts)
            print(f"\nRun time {time.monotonic() - started:.1f} s")
            return code
        except BenchError as error:
            print(f"load failed: {error}", file=sys.stderr)
            return 2
        finally:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
