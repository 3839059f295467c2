"""Fault: PostgreSQL restarted while people are taking the assessment.

Run on demand from the project folder (PostgreSQL on 127.0.0.1:5432, user
postgres, trust; root, since it restarts the cluster):

    .venv/bin/pip install requests        # the HTTP client; not a project dependency
    .venv/bin/python bench/fault.py       # 20 clients x 20 attempts, about a minute

The same load as bench/load.py, smaller, on its own database `spectrum_fault`
(dropped at the end). About 5 s in, it runs

    pg_ctlcluster --skip-systemctl-redirect <version> main restart

(or, with `--down-for S`, `stop`, S seconds down, then `start`: a longer
outage). Every client records each response's status and time; an attempt
that meets an error is dropped and taken again from the start as a new
person (new cookies) after a short pause, so every client still finishes its
attempts. A separate poller asks /healthz/ every 50 ms, another tries a new
PostgreSQL connection every 50 ms. gunicorn is never restarted.

It prints how long errors lasted (first to last request answered with
something other than 2xx/3xx), what those answers were (503 pages that say
"Back in a moment", 500s, connection errors), what gunicorn logged, whether
the same gunicorn processes answered before and after, and then checks the
database: no partial attempts. Restarting PostgreSQL cuts every connection
on the machine, so by default it first waits until no other database has a
query or transaction running (`--even-if-busy` skips the wait). PostgreSQL
is checked with pg_isready at the end, and started if it is down, whatever
happened.

Exit status: 0 when the invariants hold, every error was the clean 503 page,
requests succeeded again after the outage and no gunicorn process was
replaced; 1 otherwise; 2 when something failed to run.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    OUTAGE_TEXT,
    PG_ADMIN_URL,
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
    pg_ensure_running,
    pg_ready,
    pg_version,
    pin_self,
    start_server,
    status_counts,
    stop_server,
    take_attempt,
)

DATABASE = "spectrum_fault"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=20, help="per client")
    parser.add_argument("--restart-after", type=float, default=5.0, help="seconds into the load")
    parser.add_argument(
        "--down-for",
        type=float,
        default=0,
        metavar="S",
        help="instead of `restart`: `stop`, wait S seconds, `start` (a longer outage)",
    )
    parser.add_argument("--retry-pause", type=float, default=0.2, help="seconds before a retry")
    parser.add_argument("--deadline", type=float, default=300, help="give up after (s)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-cpus", default="0,1", help="taskset -c for gunicorn")
    parser.add_argument("--client-cpus", default="1", help="CPUs for this load generator")
    parser.add_argument("--quiet-wait", type=float, default=600, help="seconds to wait")
    parser.add_argument("--even-if-busy", action="store_true")
    parser.add_argument("--save-log", metavar="PATH", help="keep gunicorn's log there")
    return parser.parse_args()


def busy_elsewhere() -> list[str]:
    """Other databases' connections in a query or a transaction right now."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT coalesce(datname, '?'), state, count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " AND coalesce(datname, '') <> %s AND state <> 'idle' GROUP BY 1, 2 ORDER BY 1",
            [DATABASE],
        ).fetchall()
    return [f"{name} ({state}) x{count}" for name, state, count in rows]


def wait_until_quiet(seconds: float) -> tuple[bool, list[str]]:
    """True once nothing else is running on PostgreSQL for 3 s in a row."""
    deadline = time.monotonic() + seconds
    seen: list[str] = []
    quiet_since = None
    while time.monotonic() < deadline:
        busy = busy_elsewhere()
        if busy:
            seen = busy
            quiet_since = None
        else:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 3:
                return True, seen
        time.sleep(0.5)
    return False, seen


class HealthPoller(threading.Thread):
    """GET /healthz/ every 50 ms: what a load balancer would see."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.samples: list[tuple[float, int, float]] = []  # (started, status, seconds)
        self.stopping = threading.Event()

    def run(self) -> None:
        import requests

        session = requests.Session()
        while not self.stopping.is_set():
            began = time.monotonic()
            try:
                status = session.get(f"{self.base}/healthz/", timeout=10).status_code
            except requests.RequestException:
                status = 0
            self.samples.append((began, status, time.monotonic() - began))
            self.stopping.wait(max(0.0, 0.05 - (time.monotonic() - began)))


def restart_postgres(events: dict, down_for: float = 0) -> None:
    """Restart the cluster; meanwhile try a new connection every 50 ms."""
    import psycopg

    command = ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main"]
    events["command"] = " ".join(
        [*command, "restart"] if not down_for else [*command, f"stop; sleep {down_for:g}; start"]
    )
    refused: list[float] = []
    finished = threading.Event()

    def probe() -> None:
        while True:
            began = time.monotonic()
            try:
                with psycopg.connect(PG_ADMIN_URL, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                ok = True
            except psycopg.Error:
                ok = False
                refused.append(began)
            if ok and finished.is_set():
                return
            time.sleep(max(0.0, 0.05 - (time.monotonic() - began)))

    prober = threading.Thread(target=probe, daemon=True)
    events["began"] = time.monotonic()
    prober.start()
    if down_for:
        done = subprocess.run([*command, "stop"], capture_output=True, text=True, timeout=120)  # noqa: S603
        time.sleep(down_for)
        if done.returncode == 0:
            done = subprocess.run([*command, "start"], capture_output=True, text=True, timeout=120)  # noqa: S603
    else:
        done = subprocess.run([*command, "restart"], capture_output=True, text=True, timeout=120)  # noqa: S603
    events["ended"] = time.monotonic()
    finished.set()
    prober.join(timeout=60)
    events["returncode"] = done.returncode
    events["output"] = (done.stdout + done.stderr).strip()
    events["refused"] = refused


RECORD_RE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ (\w+) (\S+) (.*)$")
EXCEPTION_RE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupted|Warning)): (.*)$")


def summarise_log(text: str) -> list[str]:
    """gunicorn's log, record by record: what was logged, and for each
    traceback the exception that ended it (chained ones are its context)."""
    counts: dict[str, int] = {}
    record = ""
    final = ""

    def close() -> None:
        if record:
            key = record + (f" <- {final}" if final else "")
            counts[key] = counts.get(key, 0) + 1

    for line in text.splitlines():
        match = RECORD_RE.match(line)
        if match or line.startswith("["):  # Django's records, or gunicorn's own
            close()
            final = ""
            if match:
                level, logger, message = match.groups()
                message = re.sub(r"/[0-9a-f-]{36}/", "/<uuid>/", message)
                message = re.sub(r"/pages/\d+/", "/pages/<n>/", message)
                message = re.sub(r"/results/[\w-]+/", "/results/<token>/", message)
                record = f"{level} {logger} {message}"
            else:
                record = "gunicorn " + re.sub(r"^\[[^\]]*\] \[\d+\] ", "", line)[:120]
            continue
        exception = EXCEPTION_RE.match(line.strip())
        if exception:
            name, message = exception.groups()
            message = re.sub(
                r'connection failed: connection to server at "[^"]+", port \d+ failed: ',
                "cannot connect: ",
                message,
            )
            message = re.sub(r"\s+", " ", message)
            final = f"{name.rsplit('.', 1)[-1]}: {message.strip()[:80]}"
    close()
    return [f"{count:>4} x {key}" for key, count in sorted(counts.items(), key=lambda kv: -kv[1])]


def main() -> int:
    args = parse_args()
    pin_self(args.client_cpus)
    started = time.monotonic()
    site = Site(DATABASE)
    server = None
    poller = None
    restarter = None
    exit_code = 0
    try:
        if not pg_ready():
            raise BenchError("PostgreSQL does not answer on 127.0.0.1:5432 before the run")
        if not args.even_if_busy:
            quiet, seen = wait_until_quiet(args.quiet_wait)
            if not quiet:
                raise BenchError(
                    "other databases stayed busy, so PostgreSQL was not restarted: "
                    + ", ".join(seen)
                    + " (--even-if-busy restarts anyway)"
                )
            if seen:
                print(f"Waited for other databases to go quiet (had: {', '.join(seen)})")
        timings = site.setup()
        server = start_server(site, workers=args.workers, cpus=args.server_cpus)
        print(f"Fault, {time.strftime('%Y-%m-%d %H:%M')}: {server.describe()}")
        print(
            f"  load generator: this process, {args.clients} threads, requests, "
            f"CPUs {args.client_cpus}; set-up: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        )
        print(f"  before: {machine_load()}")
        master_before = server.process.pid
        workers_before = server.worker_pids()

        hits: list[Hit] = []
        records: list[AttemptRecord] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.deadline
        unfinished: list[str] = []

        def client(number: int) -> None:
            rng = random.Random(number)  # noqa: S311 - answers, not secrets
            browser = Browser([("A", server.base)], hits, timeout=30)
            mine: list[AttemptRecord] = []
            for n in range(args.attempts):
                double = "sequential" if n % 10 == 9 else ""
                while True:
                    record = AttemptRecord()
                    mine.append(record)
                    try:
                        take_attempt(browser, record, rng, double_submit=double)
                        break
                    except (StepFailed, BenchError) as error:
                        record.failure = str(error)
                        if time.monotonic() > deadline:
                            with lock:
                                unfinished.append(f"client {number} attempt {n}: {error}")
                            break
                        time.sleep(args.retry_pause)
            with lock:
                records.extend(mine)

        events: dict = {}
        poller = HealthPoller(server.base)
        poller.start()
        cpu = CpuUse([server], DATABASE)
        cpu.start()
        load_began = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        restarter = threading.Timer(
            args.restart_after, restart_postgres, args=(events, args.down_for)
        )
        restarter.start()
        for thread in threads:
            thread.join()
        restarter.join()
        elapsed = time.monotonic() - load_began
        cpu_line = cpu.stop(len(hits))
        time.sleep(0.3)
        poller.stopping.set()
        poller.join()

        def at(moment: float) -> str:
            return f"{moment - load_began:6.2f} s"

        print(
            f"\n{args.clients} clients x {args.attempts} attempts: {len(hits)} requests in "
            f"{elapsed:.1f} s ({len(hits) / elapsed:.0f}/s)"
        )
        print(f"  {cpu_line}")
        print(f"  after: {machine_load()}")
        if "began" in events:
            print(
                f"  `{events['command']}`: ran from {at(events['began'])} to "
                f"{at(events['ended'])} ({events['ended'] - events['began']:.2f} s, exit "
                f"{events['returncode']})"
            )
            refused = events["refused"]
            if refused:
                print(
                    f"  new connections to PostgreSQL (tried every 50 ms) failed from "
                    f"{at(refused[0])} to {at(refused[-1])} ({len(refused)} tries): the "
                    f"database was out of reach for about {refused[-1] - refused[0] + 0.05:.2f} s"
                )
            if events["output"]:
                print(f"  its output: {events['output'][:300]}")
        else:
            print("  PostgreSQL was NOT restarted (the load ended first?)")
        print(f"  all statuses: {status_counts(hits)}")

        bad = sorted((h for h in hits if h.status == 0 or h.status >= 400), key=lambda h: h.started)
        if bad:
            first, last = bad[0], bad[-1]
            window = last.started + last.seconds - first.started
            print(
                f"  errors lasted {window:.2f} s: first error sent at {at(first.started)}, "
                f"last error answered at {at(last.started + last.seconds)} "
                f"({len(bad)} requests: {status_counts(bad)})"
            )
            outage = [h for h in bad if h.status == 503]
            clean = [h for h in outage if h.outage_page and h.retry_after == "30"]
            print(
                f"  503 answers: {len(outage)}, of which {len(clean)} are the "
                f"'{OUTAGE_TEXT}' page with Retry-After: 30"
            )
            by_kind: dict[str, list[str]] = {}
            for hit in bad:
                by_kind.setdefault(f"{hit.method} {hit.kind}", []).append(
                    str(hit.status or hit.error)
                )
            for kind, statuses in sorted(by_kind.items()):
                counts = {s: statuses.count(s) for s in sorted(set(statuses))}
                print(f"    {kind:<14} " + ", ".join(f"{s}: {c}" for s, c in counts.items()))
            other = [h for h in bad if h.status != 503]
            for hit in other[:20]:
                print(
                    f"    NOT a 503: {hit.method} {hit.kind} at {at(hit.started)} -> "
                    f"{hit.status or hit.error} (body says '{OUTAGE_TEXT}': {hit.outage_page})"
                )
            slow = sorted(bad, key=lambda h: -h.seconds)[0]
            print(f"  slowest error answer: {slow.seconds * 1000:.0f} ms ({slow.kind})")
            after = [h for h in hits if h.started > last.started + last.seconds]
            ok_after = [h for h in after if 200 <= h.status < 400]
            print(f"  after the last error: {len(ok_after)}/{len(after)} requests answered 2xx/3xx")
            five_hundreds = [h for h in bad if h.status == 500]
            dirty = [h for h in outage if not h.outage_page]
            if five_hundreds or dirty or len(ok_after) != len(after):
                exit_code = 1
        else:
            print("  no request failed at all")
        print(latency_line("all requests", [h.seconds for h in hits]))

        samples = poller.samples
        down = [s for s in samples if s[1] != 200]
        if down:
            print(
                f"  /healthz/ every 50 ms: {len(samples)} polls, not 200 from "
                f"{at(down[0][0])} to {at(down[-1][0] + down[-1][2])} "
                f"({len(down)} polls: "
                + ", ".join(
                    f"{code or 'no answer'}: {sum(1 for s in down if s[1] == code)}"
                    for code in sorted({s[1] for s in down})
                )
                + ")"
            )
        else:
            print(f"  /healthz/ every 50 ms: {len(samples)} polls, all 200")

        master_same = server.process.poll() is None and server.process.pid == master_before
        workers_after = server.worker_pids()
        print(
            f"  gunicorn master {master_before} still running: {master_same}; workers "
            f"before {workers_before}, after {workers_after}: "
            f"{'the same processes' if workers_after == workers_before else 'CHANGED'}"
        )
        if not master_same or workers_after != workers_before:
            exit_code = 1
        logged = summarise_log(server.log_path.read_text(errors="replace"))
        print(f"  gunicorn log ({len(logged)} kinds of lines):")
        for line in logged[:20]:
            print(f"    {line}")

        retried = sum(1 for r in records if r.failure)
        done = sum(1 for r in records if r.completed)
        print(
            f"  attempts: {done} finished, {retried} abandoned after an error and taken "
            f"again; unfinished at the deadline: {len(unfinished)}"
        )
        facts, problems = check_database(records, exact=False)
        if unfinished:
            problems.append(f"{len(unfinished)} attempts still failing at the deadline")
        print("\nDatabase after the run:")
        for fact in facts:
            print(f"  {fact}")
        if problems:
            exit_code = 1
            print("PROBLEMS:")
            for problem in problems:
                print(f"  {problem}")
        else:
            print("  OK: no partial attempts, no half-saved pages, one result each")
        print(f"\nRun time {time.monotonic() - started:.1f} s")
    except BenchError as error:
        print(f"fault failed: {error}", file=sys.stderr)
        exit_code = 2
    finally:
        if restarter is not None:
            restarter.cancel()
            restarter.join()
        if poller is not None:
            poller.stopping.set()
        stop_server(server)
        if server is not None and args.save_log:
            shutil.copyfile(server.log_path, args.save_log)
            print(f"gunicorn's log saved to {args.save_log}")
        print(pg_ensure_running())
        print(site.close())
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
