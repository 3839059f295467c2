"""Fault: PostgreSQL restarted while people are taking the assessment.

Prints how long errors lasted, what they were, what gunicorn logged and whether its
processes survived; exits 1 on a 500, a 503 that is not the clean page, an error
after the outage, a replaced gunicorn process or a broken invariant, 2 when
something failed to run. It restarts PostgreSQL for the whole machine (root
needed): see bench/README.md before running it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import threading
import time
from collections import Counter
from typing import Any

import pg
import psycopg
import requests
from client import OUTAGE_TEXT, Hit
from cpu import CpuUse
from invariants import compare_with_clients
from report import latency_line, machine_load, status_counts, verdict
from sandbox import BenchError, sandbox
from scenario import Run, run_clients
from servers import Server, pin_self, start_server, stop_server


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=20, help="per client")
    parser.add_argument("--restart-after", type=float, default=5.0, help="seconds into the load")
    longer = "instead of `restart`: `stop`, wait S seconds, `start` (a longer outage)"
    parser.add_argument("--down-for", type=float, default=0, metavar="S", help=longer)
    parser.add_argument("--retry-pause", type=float, default=0.2, help="seconds before a retry")
    parser.add_argument("--deadline", type=float, default=300, help="give up after (s)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-cpus", default="0,1", help="taskset -c for gunicorn")
    parser.add_argument("--client-cpus", default="1", help="CPUs for this load generator")
    parser.add_argument("--quiet-wait", type=float, default=600, help="seconds to wait")
    parser.add_argument("--even-if-busy", action="store_true")
    parser.add_argument("--save-log", metavar="PATH", help="keep gunicorn's log there")
    parser.add_argument("--database-name", default="spectrum_fault")
    return parser.parse_args()


class Poller(threading.Thread):
    """Asks `probe` every 50 ms until stopped: (started, answer, seconds) samples."""

    def __init__(self, probe: Any) -> None:
        super().__init__(daemon=True)
        self.probe, self.samples = probe, []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            began = time.monotonic()
            answer = self.probe()
            self.samples.append((began, answer, time.monotonic() - began))
            self.stopping.wait(max(0.0, 0.05 - (time.monotonic() - began)))

    def stop(self) -> list[tuple[float, Any, float]]:
        self.stopping.set()
        self.join()
        return self.samples


def health(base: str) -> Poller:
    """GET /healthz/: what a load balancer would see (0 when nothing answered)."""
    session = requests.Session()

    def probe() -> int:
        try:
            return session.get(f"{base}/healthz/", timeout=10).status_code
        except requests.RequestException:
            return 0

    return Poller(probe)


def connects() -> bool:
    try:
        with psycopg.connect(pg.ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def restart_postgres(events: dict[str, Any], down_for: float) -> None:
    """Restart the cluster (or stop, wait, start); meanwhile try to connect every 50 ms."""
    action = f"stop; sleep {down_for:g}; start" if down_for else "restart"
    events["command"] = " ".join(pg.cluster_command(action))
    prober = Poller(connects)
    events["began"] = time.monotonic()
    prober.start()
    if down_for:
        done = pg.cluster("stop")
        time.sleep(down_for)
        done = pg.cluster("start") if done.returncode == 0 else done
    else:
        done = pg.cluster("restart")
    events["ended"] = time.monotonic()
    events["refused"] = [began for began, ok, _ in prober.stop() if not ok]
    events["returncode"], events["output"] = done.returncode, (done.stdout + done.stderr).strip()


RECORD_RE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ (\w+ \S+ .*)$")
EXCEPTION_RE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupted|Warning)): (.*)$")
SHORTER = [
    (r"/[0-9a-f-]{36}/", "/<uuid>/"),
    (r"/pages/\d+/", "/pages/<n>/"),
    (r"/results/[\w-]+/", "/results/<token>/"),
    (r'connection failed: connection to server at "[^"]+", port \d+ failed: ', "cannot connect: "),
    (r"\s+", " "),
]


def shorter(text: str) -> str:
    for pattern, replacement in SHORTER:
        text = re.sub(pattern, replacement, text)
    return text.strip()


def summarise_log(text: str) -> list[str]:
    """gunicorn's log record by record (Django's, or gunicorn's own "[...]" lines),
    each traceback named by the exception that ended it; counted, most frequent first."""
    counts: Counter[str] = Counter()
    record = final = ""
    for line in [*text.splitlines(), "[end]"]:  # the sentinel closes the last record
        match = RECORD_RE.match(line)
        if not (match or line.startswith("[")):
            if exception := EXCEPTION_RE.match(line.strip()):
                final = f"{exception.group(1).rsplit('.', 1)[-1]}: {exception.group(2)}"
            continue
        if record:
            counts[shorter(record) + (f" <- {shorter(final)[:80]}" if final else "")] += 1
        gunicorn = "gunicorn " + re.sub(r"^\[[^\]]*\] \[\d+\] ", "", line)[:120]
        record, final = match.group(1) if match else gunicorn, ""
    return [f"{count:>4} x {key}" for key, count in counts.most_common()]


def show_restart(events: dict[str, Any], at: Any) -> None:
    if "began" not in events:
        print("  PostgreSQL was NOT restarted (the load ended first?)")
        return
    print(
        f"  `{events['command']}`: ran from {at(events['began'])} to {at(events['ended'])} "
        f"({events['ended'] - events['began']:.2f} s, exit {events['returncode']})"
    )
    if refused := events["refused"]:
        print(
            f"  new connections to PostgreSQL (tried every 50 ms) failed from {at(refused[0])} "
            f"to {at(refused[-1])} ({len(refused)} tries): the database was out of reach for "
            f"about {refused[-1] - refused[0] + 0.05:.2f} s"
        )
    if events["output"]:
        print(f"  its output: {events['output'][:300]}")


def show_errors(hits: list[Hit], at: Any) -> list[str]:
    """How long errors lasted and what they were; problems: 500s, 503s that are not
    the clean page, and requests failing after the outage."""
    bad = sorted((h for h in hits if h.status == 0 or h.status >= 400), key=lambda h: h.started)
    if not bad:
        print("  no request failed at all")
        return []
    first, end = bad[0].started, max(h.started + h.seconds for h in bad)
    print(
        f"  errors lasted {end - first:.2f} s: first error sent at {at(first)}, last error "
        f"answered at {at(end)} ({len(bad)} requests: {status_counts(bad)})"
    )
    outage = [h for h in bad if h.status == 503]
    clean = [h for h in outage if h.outage_page and h.retry_after == "30"]
    print(
        f"  503 answers: {len(outage)}, of which {len(clean)} are the '{OUTAGE_TEXT}' page "
        "with Retry-After: 30"
    )
    show_kinds(bad, at)
    slow = max(bad, key=lambda h: h.seconds)
    print(f"  slowest error answer: {slow.seconds * 1000:.0f} ms ({slow.kind})")
    after = [h for h in hits if h.started > end]
    ok_after = sum(200 <= h.status < 400 for h in after)
    print(f"  after the last error: {ok_after}/{len(after)} requests answered 2xx/3xx")
    problems = []
    if five := sum(h.status == 500 for h in bad):
        problems.append(f"{five} answers were 500")
    if len(clean) != len(outage):
        problems.append(f"{len(outage) - len(clean)} 503 answers were not the clean page")
    if ok_after != len(after):
        problems.append(f"{len(after) - ok_after} requests failed after the outage")
    return problems


def show_kinds(bad: list[Hit], at: Any) -> None:
    """The failed requests by kind, and every one that was not a 503."""
    kinds: dict[str, Counter[str]] = {}
    for hit in bad:
        kinds.setdefault(f"{hit.method} {hit.kind}", Counter())[str(hit.status or hit.error)] += 1
    for kind, statuses in sorted(kinds.items()):
        print(f"    {kind:<14} " + ", ".join(f"{s}: {c}" for s, c in sorted(statuses.items())))
    for hit in [h for h in bad if h.status != 503][:20]:
        print(
            f"    NOT a 503: {hit.method} {hit.kind} at {at(hit.started)} -> "
            f"{hit.status or hit.error} (body says '{OUTAGE_TEXT}': {hit.outage_page})"
        )


def show_health(samples: list[tuple[float, Any, float]], at: Any) -> None:
    down = [s for s in samples if s[1] != 200]
    if not down:
        print(f"  /healthz/ every 50 ms: {len(samples)} polls, all 200")
        return
    codes = Counter(str(code or "no answer") for _, code, _ in down)
    print(
        f"  /healthz/ every 50 ms: {len(samples)} polls, not 200 from {at(down[0][0])} to "
        f"{at(down[-1][0] + down[-1][2])} ({len(down)} polls: "
        + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items()))
        + ")"
    )


def show_gunicorn(server: Server, master: int, workers: list[int]) -> list[str]:
    """Whether the same gunicorn processes answered before and after, and its log."""
    same_master = server.process.poll() is None and server.process.pid == master
    after = server.worker_pids()
    print(
        f"  gunicorn master {master} still running: {same_master}; workers before {workers}, "
        f"after {after}: {'the same processes' if after == workers else 'CHANGED'}"
    )
    logged = summarise_log(server.log_path.read_text(errors="replace"))
    print(f"  gunicorn log ({len(logged)} kinds of lines):")
    for line in logged[:20]:
        print(f"    {line}")
    return [] if same_master and after == workers else ["a gunicorn process was replaced"]


def load_with_restart(server: Server, args: argparse.Namespace) -> int:
    """The clients' load with PostgreSQL restarted in it: figures, then the exit status."""
    master, workers = server.process.pid, server.worker_pids()
    events: dict[str, Any] = {}
    poller, cpu = health(server.base), CpuUse([server], args.database_name)
    poller.start()
    cpu.start()
    restarter = threading.Timer(args.restart_after, restart_postgres, (events, args.down_for))
    restarter.start()
    began = time.monotonic()
    try:
        run = run_clients(
            server.base,
            args.clients,
            args.attempts,
            lambda n: "sequential" if n % 10 == 9 else "",
            retry_pause=args.retry_pause,
            deadline=began + args.deadline,
        )
        restarter.join()
    finally:
        restarter.cancel()
    cpu_line = cpu.stop(len(run.hits))
    time.sleep(0.3)
    samples = poller.stop()

    def at(moment: float) -> str:
        return f"{moment - began:6.2f} s"

    print(
        f"\n{args.clients} clients x {args.attempts} attempts: {len(run.hits)} requests in "
        f"{run.seconds:.1f} s ({len(run.hits) / run.seconds:.0f}/s)\n  {cpu_line}\n"
        f"  after: {machine_load()}"
    )
    show_restart(events, at)
    print(f"  all statuses: {status_counts(run.hits)}")
    problems = show_errors(run.hits, at)
    print(latency_line("all requests", [h.seconds for h in run.hits]))
    show_health(samples, at)
    problems += show_gunicorn(server, master, workers)
    return check(run, problems)


def check(run: Run, problems: list[str]) -> int:
    """The attempts, and the database against what the clients did."""
    print(
        f"  attempts: {sum(r.completed for r in run.records)} finished, "
        f"{sum(bool(r.failure) for r in run.records)} abandoned after an error and taken again;"
        f" unfinished at the deadline: {len(run.failures)}"
    )
    facts, found = compare_with_clients(run.records, exact=False)
    if run.failures:
        found.append(f"{len(run.failures)} attempts still failing at the deadline")
    ok = "no partial attempts, no half-saved pages, one result each"
    return verdict("Database after the run:", facts, found + problems, ok)


def quiet_enough(args: argparse.Namespace) -> None:
    """Restarting PostgreSQL cuts every connection on the machine: wait for quiet."""
    if not pg.ready():
        raise BenchError("PostgreSQL does not answer on 127.0.0.1:5432 before the run")
    if args.even_if_busy:
        return
    quiet, seen = pg.wait_until_quiet(args.database_name, args.quiet_wait)
    if not quiet:
        raise BenchError(
            f"other databases stayed busy, so PostgreSQL was not restarted: {', '.join(seen)}"
            " (--even-if-busy restarts anyway)"
        )
    if seen:
        print(f"Waited for other databases to go quiet (had: {', '.join(seen)})")


def main() -> int:
    args = parse_args()
    pin_self(args.client_cpus)
    started = time.monotonic()
    with sandbox(args.database_name) as site:
        server = None
        try:
            quiet_enough(args)
            timings = site.setup()
            server = start_server(site, workers=args.workers, cpus=args.server_cpus)
            print(
                f"Fault, {time.strftime('%Y-%m-%d %H:%M')}: {server.describe()}\n  load "
                f"generator: this process, {args.clients} threads, requests, CPUs "
                f"{args.client_cpus}; set-up: "
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + f"\n  before: {machine_load()}"
            )
            code = load_with_restart(server, args)
            print(f"\nRun time {time.monotonic() - started:.1f} s")
            return code
        except BenchError as error:
            print(f"fault failed: {error}", file=sys.stderr)
            return 2
        finally:
            stop_server(server)
            if server is not None and args.save_log:
                shutil.copyfile(server.log_path, args.save_log)
                print(f"gunicorn's log saved to {args.save_log}")
            print(pg.ensure_running())


if __name__ == "__main__":
    sys.exit(main())
