"""Fault: PostgreSQL restarted (for the whole machine: root) while people take the assessment.

Prints how long errors lasted and what they were; exits 1 on a 500, a 503 that is not the
clean page, an error after the outage, a replaced gunicorn process or a broken invariant."""

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any

import psycopg
from invariants import compare_with_clients
from report import Options, arguments, machine_load, run_figures, status_counts, verdict
from sandbox import BenchError, admin, sandbox
from scenario import Hit, run_clients
from servers import Server, pin_self, start_server, stop_server

OPTIONS: Options = [("--clients", 20, ""), ("--attempts", 20, "per client"), ("--workers", 4, "")]
OPTIONS += [("--restart-after", 5.0, "seconds into the load")]
OPTIONS += [("--down-for", 0.0, "instead of `restart`: `stop`, S seconds down, `start`")]
OPTIONS += [("--retry-pause", 0.2, "seconds before a failed attempt is taken again")]
OPTIONS += [("--server-cpus", "0,1", "taskset -c for gunicorn"), ("--client-cpus", "1", "")]
OPTIONS += [("--even-if-busy", False, "restart even if other databases are busy")]
OPTIONS += [("--save-log", "", "keep gunicorn's log"), ("--database-name", "spectrum_fault", "")]
BUSY = """SELECT datname || ' (' || state || ')' FROM pg_stat_activity WHERE state <> 'idle'
AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname <> %s"""


def cluster(action: str) -> subprocess.CompletedProcess[str]:
    """`pg_ctlcluster <version> main <action>`: stop, start or restart."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603


def ensure_running() -> str:
    """Start the cluster if it does not answer; say what was done."""
    try:
        admin("SELECT 1")
        return "PostgreSQL answers."
    except psycopg.Error:
        return f"PostgreSQL was down; `pg_ctlcluster ... start`: {cluster('start').returncode}"


def restart(events: dict[str, str], down_for: float, zero: float) -> None:
    """Restart the cluster, or stop it, wait and start it."""
    started = time.monotonic() - zero
    done = cluster("stop" if down_for else "restart")
    if down_for and done.returncode == 0:
        time.sleep(down_for)
        done = cluster("start")
    action = f"stop; sleep {down_for}; start" if down_for else "restart"
    events["restart"] = (
        f"`pg_ctlcluster ... main {action}` ran from {started:.2f} s to "
        f"{time.monotonic() - zero:.2f} s, exit {done.returncode} {done.stdout}{done.stderr}"
    )


def errors(hits: list[Hit], zero: float) -> list[str]:
    """How long errors lasted and what they were; problems: 500s, 503s that are not the
    clean page, and requests failing after the outage."""
    bad = sorted((h for h in hits if not 200 <= h.status < 400), key=lambda h: h.started)
    if not bad:
        print("  no request failed at all")
        return []
    first, end = bad[0].started - zero, max(h.started + h.seconds for h in bad) - zero
    after = [h for h in hits if h.started - zero > end]
    ok_after = sum(200 <= h.status < 400 for h in after)
    outage, clean = sum(h.status == 503 for h in bad), sum(h.clean_outage for h in bad)
    print(
        f"  errors lasted {end - first:.2f} s, from {first:.2f} s to {end:.2f} s: {len(bad)} "
        f"requests ({status_counts(bad)}); 503s that are the clean page with Retry-After: 30: "
        f"{clean}/{outage}; slowest {max(h.seconds for h in bad) * 1000:.0f} ms; after the last "
        f"error {ok_after}/{len(after)} requests answered 2xx/3xx; by request:"
    )
    kinds = Counter(f"{h.method} {h.kind} -> {h.status or h.error}" for h in bad)
    print(*(f"    {kind}: {count}" for kind, count in sorted(kinds.items())), sep="\n")
    wrong = {"answers were 500": sum(h.status == 500 for h in bad)}
    wrong["answers were 503 without the clean page"] = outage - clean
    wrong["requests failed after the outage"] = len(after) - ok_after
    return [f"{count} {what}" for what, count in wrong.items() if count]


def load_with_restart(server: Server, args: Any) -> int:
    """The clients' load with PostgreSQL restarted in it: its figures, then the checks."""
    master, workers = server.process.pid, server.worker_pids()
    events: dict[str, str] = {}
    zero = time.monotonic()
    restarter = threading.Timer(args.restart_after, restart, (events, args.down_for, zero))
    restarter.start()
    try:  # every 10th attempt sends its last page again, once the first answer came
        double = ["", "sequential"]
        base, clients, attempts = server.base, args.clients, args.attempts
        run = run_clients(base, clients, attempts, lambda n: double[n % 10 == 9], args.retry_pause)
        restarter.join()
    finally:
        restarter.cancel()
    run_figures(run)
    print(f"  {events.get('restart', 'PostgreSQL was NOT restarted')}")
    problems = errors(run.hits, zero)
    if run.failures:
        problems.append(f"{len(run.failures)} attempts still failing at the deadline")
    if (server.process.poll(), server.process.pid, server.worker_pids()) != (None, master, workers):
        problems.append("a gunicorn process was replaced (or its master stopped)")
    facts, found = compare_with_clients(run.records, exact=False)
    ok = "no partial attempts, no half-saved pages, one result each; the same gunicorn processes"
    if code := verdict("Database after the run:", facts, found + problems, ok):
        print(f"gunicorn log tail:\n{server.log_tail()}")
    return code


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    pin_self(args.client_cpus)
    started, server = time.monotonic(), None
    with sandbox(args.database_name) as site:
        try:
            # A restart cuts every connection on the machine, other people's tests' too.
            if (busy := admin(BUSY, [args.database_name])) and not args.even_if_busy:
                raise BenchError(f"others are busy: {busy}; --even-if-busy restarts anyway")
            timings = site.setup()
            server = start_server(site, "A", args.workers, args.server_cpus)
            print(
                f"Fault, {time.strftime('%Y-%m-%d %H:%M')}: {server.describe}; {args.clients} "
                f"clients x {args.attempts} attempts on CPUs {args.client_cpus}\n  set-up: "
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + f"\n  before: {machine_load()}"
            )
            code = load_with_restart(server, args)
            print(f"\nRun time {time.monotonic() - started:.1f} s")
            return code
        except (BenchError, psycopg.Error) as error:
            print(f"fault failed: {error}", file=sys.stderr)
            return 2
        finally:
            stop_server(server)
            if server is not None and args.save_log:
                shutil.copyfile(server.log_path, args.save_log)
            print(ensure_running())


if __name__ == "__main__":
    sys.exit(main())
