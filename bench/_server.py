"""Shared by bench/load.py, bench/fault.py and bench/two_servers.py.

A throw-away site on PostgreSQL (own database, dropped at the end), gunicorn
processes pinned with `taskset`, an HTTP client that walks the assessment the
way a browser does (CSRF cookie, session cookie, one request per step, no
automatic redirects so that every request is timed on its own), and checks of
what ended up in the database.

The HTTP client is `requests` (with urllib3), one `requests.Session` per
simulated person, in threads; it comes with the project's dev extra.

bench/page_weight.py and bench/dashboard.py use only the gunicorn helpers
(`spawn_gunicorn`, `wait_until_answering`, `stop_process`, `free_port`).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_ADMIN_URL = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"
ITEMS_PER_PAGE = 6
PAGES = 4
DIMENSIONS = 3
OUTAGE_TEXT = "Back in a moment"

SETTINGS_MODULE = "bench_settings"
URLS_MODULE = "bench_urls"
SETTINGS_TEXT = """\
# Written by a script in bench/: the project's own settings (DEBUG off,
# CONN_MAX_AGE 60, CONN_HEALTH_CHECKS on, sessions in the database), with
# plain static storage so that no collectstatic manifest is needed, and a
# URLconf that adds a hello-world view for comparison.
from pathlib import Path

from config.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(__file__).resolve().parent / "static_root"
ROOT_URLCONF = "bench_urls"
"""
URLS_TEXT = """\
# Written by a script in bench/: the project's URLs plus /bench/hello/, a view
# that goes through every middleware but touches no database.
from django.http import HttpResponse
from django.urls import path

from config import urls as project


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *project.urlpatterns]
handler400 = project.handler400
handler500 = project.handler500
"""

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM_RE = re.compile(r'name="(item_\d+)"')
ATTEMPT_RE = re.compile(r"/assessment/([0-9a-f-]{36})/pages/1/$")
PAGE_RE = re.compile(r"/assessment/[0-9a-f-]{36}/pages/(\d+)/$")
RESULT_RE = re.compile(r"/results/([A-Za-z0-9_-]+)/$")


class BenchError(Exception):
    """Something failed to run; the figures would mean nothing."""


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"))
    if not versions:
        raise BenchError("No cluster under /etc/postgresql")
    return versions[-1]


def pg_ready() -> bool:
    done = subprocess.run(  # noqa: S603
        ["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-t", "2"],  # noqa: S607
        capture_output=True,
        text=True,
    )
    return done.returncode == 0


def pg_ensure_running(wait_s: float = 60) -> str:
    """Start the cluster if it does not answer; say what was done."""
    if pg_ready():
        return "PostgreSQL answers (pg_isready)."
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "start"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
    )
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if pg_ready():
            return "PostgreSQL was down and has been started again."
        time.sleep(0.5)
    return "PostgreSQL is DOWN and did not start: run pg_ctlcluster ... main start by hand."


def admin_execute(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        for statement in statements:
            conn.execute(statement)


def create_database(name: str) -> None:
    admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")


def drop_database(name: str) -> None:
    admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def other_clients(own_database: str) -> list[tuple[str, int]]:
    """Client connections to other databases: (database, count)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT coalesce(datname, '?'), count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " AND coalesce(datname, '') <> %s GROUP BY 1 ORDER BY 1",
            [own_database],
        ).fetchall()
    return [(name, int(count)) for name, count in rows]


# --------------------------------------------------------------------------
# The site: settings, Django in this process for set-up and checks
# --------------------------------------------------------------------------


class Site:
    """A temporary settings folder and a PostgreSQL database of its own."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{database}-"))
        (self.tmp / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT)
        (self.tmp / f"{URLS_MODULE}.py").write_text(URLS_TEXT)
        (self.tmp / "static_root").mkdir()
        self.url = f"postgres://postgres@{PG_HOST}:{PG_PORT}/{database}"
        self.env = dict(os.environ)
        for name in (
            "DJANGO_DEBUG",
            "DJANGO_ENV",
            "DJANGO_ALLOWED_HOSTS",
            "DJANGO_CONN_MAX_AGE",
            "DJANGO_SETTINGS_MODULE",
        ):
            self.env.pop(name, None)
        self.env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
            DATABASE_URL=self.url,
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_LOG_FORMAT="plain",
            # Every simulated person comes from 127.0.0.1, thousands of starts
            # in a default run: a limit no run reaches, yet still counted, so
            # the counting's cost is in the figures.
            DJANGO_RATE_START_PER_CLIENT="100000000",
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(self.tmp), str(ROOT), os.environ.get("PYTHONPATH")])
            ),
        )
        self.django_ready = False

    def setup(self) -> dict[str, float]:
        """Create the database, migrate, load the default bank; return timings."""
        timings = {}
        began = time.monotonic()
        create_database(self.database)
        timings["create database"] = time.monotonic() - began
        self.django()
        from django.core.management import call_command
        from django.db import connections

        for args in (["migrate", "--no-input"], ["load_default_bank"]):
            began = time.monotonic()
            call_command(*args, verbosity=0, stdout=io.StringIO())
            timings[args[0]] = time.monotonic() - began
        connections.close_all()
        return timings

    def django(self) -> None:
        """Set Django up in this process with the same settings as gunicorn."""
        if self.django_ready:
            return
        for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_LOG_LEVEL"):
            os.environ[name] = self.env[name]
        for name in ("DJANGO_DEBUG", "DJANGO_ENV", "DJANGO_ALLOWED_HOSTS", "DJANGO_CONN_MAX_AGE"):
            os.environ.pop(name, None)
        for folder in (str(ROOT), str(self.tmp)):
            if folder not in sys.path:
                sys.path.insert(0, folder)
        import django

        django.setup()
        self.django_ready = True

    def close(self, drop: bool = True) -> str:
        message = ""
        if self.django_ready:
            from django.db import connections

            connections.close_all()
        if drop:
            try:
                drop_database(self.database)
                message = f"database {self.database} dropped"
            except Exception as error:  # noqa: BLE001 - report, never mask the real failure
                message = f"could not drop {self.database}: {error}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        return message


# --------------------------------------------------------------------------
# gunicorn
# --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log_path: Path
    cpus: str
    workers: int
    worker_class: str
    threads: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def describe(self) -> str:
        kind = self.worker_class + (f" x{self.threads} threads" if self.threads > 1 else "")
        return (
            f"gunicorn {self.name} on {self.base}: {self.workers} {kind} workers, "
            f"taskset -c {self.cpus}, master pid {self.process.pid}"
        )

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def spawn_gunicorn(
    env: dict[str, str],
    port: int,
    log_path: Path,
    *,
    workers: int = 2,
    pin: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> subprocess.Popen:
    """gunicorn serving config.wsgi on 127.0.0.1:port, its output in log_path."""
    command = [*pin, PYTHON, "-m", "gunicorn", "config.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), *extra]
    log = log_path.open("wb")
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def wait_until_answering(
    process: subprocess.Popen, url: str, log_path: Path, timeout: float = 30
) -> None:
    """Until url answers 200; a BenchError with the log if gunicorn exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")[-4000:]
            raise BenchError(f"gunicorn exited ({process.returncode}):\n{log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer on {url} within {timeout:.0f} s")


def stop_process(process: subprocess.Popen | None) -> None:
    """Stop gunicorn: its master stops its workers on SIGTERM."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def start_server(
    site: Site,
    name: str = "A",
    *,
    workers: int = 4,
    worker_class: str = "sync",
    threads: int = 1,
    cpus: str = "0,1",
    port: int | None = None,
) -> Server:
    port = port or free_port()
    log_path = site.tmp / f"gunicorn-{name}.log"
    extra = ["--worker-class", worker_class, "--backlog", "2048", "--timeout", "60"]
    if threads > 1:
        extra += ["--threads", str(threads)]
    extra += ["--error-logfile", "-", "--log-level", "warning"]
    process = spawn_gunicorn(
        site.env, port, log_path, workers=workers, pin=["taskset", "-c", cpus], extra=extra
    )
    server = Server(name, process, port, log_path, cpus, workers, worker_class, threads)
    wait_for_server(server)
    return server


def wait_for_server(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(f"gunicorn {server.name} exited:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.base}/healthz/", timeout=2) as response:  # noqa: S310
                if response.status == 200 and len(server.worker_pids()) >= server.workers:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn {server.name} did not answer within {timeout:.0f} s")


def stop_server(server: Server | None) -> None:
    stop_process(server.process if server is not None else None)


def pin_self(cpus: str) -> None:
    """Pin this process (the load generator) like `taskset -c cpus` would."""
    chosen: set[int] = set()
    for part in cpus.split(","):
        if "-" in part:
            low, high = part.split("-")
            chosen.update(range(int(low), int(high) + 1))
        elif part:
            chosen.add(int(part))
    os.sched_setaffinity(0, chosen)


# --------------------------------------------------------------------------
# The client: one person taking the assessment
# --------------------------------------------------------------------------


@dataclass
class Hit:
    """One HTTP request as the client saw it."""

    kind: str  # home, start, page, answer, submit, resubmit, result, ...
    method: str
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0 when no response came (connection error, timeout)
    error: str = ""
    outage_page: bool = False  # the body says "Back in a moment"
    retry_after: str = ""
    server: str = ""


class StepFailed(Exception):
    """A response that ends this attempt (the caller may start a new one)."""

    def __init__(self, hit: Hit, detail: str = "") -> None:
        self.hit = hit
        super().__init__(detail or f"{hit.method} {hit.kind} -> {hit.status or hit.error}")


@dataclass
class AttemptRecord:
    attempt_id: str = ""
    answers: dict[int, int] = field(default_factory=dict)
    token: str = ""
    completed: bool = False  # the result page was shown with 200
    final_post_answered: bool = False  # the last page's POST got a redirect to a result
    double_submit: str = ""  # "", "sequential" or "concurrent"
    double_tokens: list[str] = field(default_factory=list)
    failure: str = ""


class Browser:
    """A person's browser: a cookie jar and keep-alive connections."""

    def __init__(self, bases: list[tuple[str, str]], hits: list[Hit], timeout: float = 60) -> None:
        import requests

        self.requests = requests
        self.session = requests.Session()
        self.bases = bases  # [(name, base url)]
        # With several servers: "request" takes the next one for every request,
        # "step" changes server at each step (start, page 1, page 2, ...).
        self.route = "request"
        self.turn = 0
        self.step = 0
        self.hits = hits
        self.timeout = timeout
        self.lock = threading.Lock()

    def new_person(self) -> None:
        """Forget the cookies: the next request comes from someone new."""
        self.session.cookies.clear()

    def _base(self, on: int | None) -> tuple[str, str]:
        if on is not None:
            return self.bases[on]
        if self.route == "step":
            return self.bases[self.step % len(self.bases)]
        name, base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        return name, base

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        data: dict | None = None,
        *,
        expect: Iterable[int] = (200,),
        session=None,
        on: int | None = None,
    ):
        name, base = self._base(on)
        session = session or self.session
        began = time.monotonic()
        try:
            response = session.request(
                method,
                base + path,
                data=data,
                allow_redirects=False,
                timeout=self.timeout,
                headers={"Referer": base + path} if method == "POST" else None,
            )
        except self.requests.RequestException as error:
            hit = Hit(kind, method, began, time.monotonic() - began, 0, type(error).__name__)
            hit.server = name
            with self.lock:
                self.hits.append(hit)
            raise StepFailed(hit) from error
        hit = Hit(kind, method, began, time.monotonic() - began, response.status_code)
        hit.server = name
        if response.status_code >= 400:
            hit.outage_page = OUTAGE_TEXT in response.text
            hit.retry_after = response.headers.get("Retry-After", "")
        with self.lock:
            self.hits.append(hit)
        if response.status_code not in expect:
            raise StepFailed(hit)
        return response

    @staticmethod
    def location(response) -> str:
        return response.headers.get("Location", "")


def take_attempt(
    browser: Browser,
    record: AttemptRecord,
    rng,
    *,
    double_submit: str = "",
    fresh_person: bool = True,
) -> AttemptRecord:
    """Home, start, four pages of answers, the result page.

    Raises StepFailed at the first unexpected response; `record` keeps what
    was done so far.
    """
    if fresh_person:
        browser.new_person()
    browser.step = 0
    browser.request("home", "GET", "/")
    csrf = browser.session.cookies.get("csrftoken")
    if not csrf:
        raise BenchError("GET / set no csrftoken cookie")
    response = browser.request(
        "start", "POST", "/assessment/start/", {"csrfmiddlewaretoken": csrf}, expect=(302,)
    )
    match = ATTEMPT_RE.search(browser.location(response))
    if not match:
        raise BenchError(f"start redirected to {browser.location(response)!r}")
    record.attempt_id = match.group(1)
    path = f"/assessment/{record.attempt_id}/pages/1/"
    for number in range(1, PAGES + 1):
        browser.step = number
        page = browser.request("page", "GET", path)
        html = page.text
        token = CSRF_RE.search(html)
        names = list(dict.fromkeys(ITEM_RE.findall(html)))
        if not token or len(names) != ITEMS_PER_PAGE:
            raise BenchError(f"page {number}: csrf {bool(token)}, {len(names)} radio groups")
        data = {"csrfmiddlewaretoken": token.group(1), "direction": "next"}
        for name in names:
            value = rng.randint(1, 5)
            data[name] = str(value)
            record.answers[int(name.removeprefix("item_"))] = value
        last = number == PAGES
        response = browser.request(
            "submit" if last else "answer", "POST", path, data, expect=(302,)
        )
        target = browser.location(response)
        if last:
            match = RESULT_RE.search(target)
            if not match:
                raise BenchError(f"the last page redirected to {target!r}, not to a result")
            record.token = match.group(1)
            record.final_post_answered = True
            if double_submit:
                browser.step = PAGES + 1  # with two servers, sent to the other one
                record.double_submit = double_submit
                record.double_tokens = resubmit(browser, path, data, double_submit)
        else:
            match = PAGE_RE.search(target)
            if not match or int(match.group(1)) != number + 1:
                raise BenchError(f"page {number} redirected to {target!r}")
            path = target[target.index("/assessment/") :]
    browser.step = PAGES + 1
    browser.request("result", "GET", f"/results/{record.token}/")
    record.completed = True
    return record


def resubmit(browser: Browser, path: str, data: dict, how: str) -> list[str]:
    """Send the last page again: after the first answer, or twice at once."""
    if how == "sequential":
        response = browser.request("resubmit", "POST", path, data, expect=(302,))
        return [RESULT_RE.search(browser.location(response)).group(1)]
    # Two more POSTs at the same moment from two connections with the same
    # cookies: a double click that beats the first redirect.
    tokens: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        twin = browser.requests.Session()
        twin.cookies.update(browser.session.cookies)
        try:
            barrier.wait(timeout=10)
            response = browser.request("resubmit", "POST", path, data, expect=(302,), session=twin)
            tokens.append(RESULT_RE.search(browser.location(response)).group(1))
        except BaseException as error:  # noqa: BLE001 - handed to the caller below
            errors.append(error)
        finally:
            twin.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return tokens


# --------------------------------------------------------------------------
# Figures and checks
# --------------------------------------------------------------------------


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


def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


class CpuMeter:
    """CPU time used by a process tree (gunicorn's master and workers)."""

    TICKS = os.sysconf("SC_CLK_TCK")

    @classmethod
    def process_seconds(cls, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / cls.TICKS  # utime + stime

    @classmethod
    def tree_seconds(cls, server: Server) -> float:
        return cls.process_seconds(server.process.pid) + sum(
            cls.process_seconds(pid) for pid in server.worker_pids()
        )


def backend_pids(database: str) -> list[int]:
    """The PostgreSQL backends connected to `database` (from their titles in /proc)."""
    pids = []
    marker = f" {database} "
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and marker in title:
            pids.append(int(entry.name))
    return pids


def machine_busy_seconds() -> float:
    """CPU time used by everything on the machine (all CPUs, /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CpuMeter.TICKS


class CpuUse:
    """Who used the CPUs between start() and stop(): gunicorn, the PostgreSQL
    backends of our database, this load generator, and everything else."""

    def __init__(self, servers: list[Server], database: str) -> None:
        self.servers = servers
        self.database = database

    def _own(self) -> float:
        times = os.times()
        return times.user + times.system

    def start(self) -> None:
        self.began = time.monotonic()
        self.machine = machine_busy_seconds()
        self.gunicorn = sum(CpuMeter.tree_seconds(s) for s in self.servers)
        # Backends come and go (CONN_MAX_AGE, restarts): sample them twice a
        # second and keep each one's first and last reading.
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.sample()
        self.first = dict(self.last)
        self.stopping = threading.Event()
        self.sampler = threading.Thread(target=self._sample_loop, daemon=True)
        self.sampler.start()
        self.me = self._own()

    def sample(self) -> None:
        for pid in backend_pids(self.database):
            seconds = CpuMeter.process_seconds(pid)
            if seconds:
                self.first.setdefault(pid, 0.0)
                self.last[pid] = seconds

    def _sample_loop(self) -> None:
        while not self.stopping.wait(0.5):
            self.sample()

    def stop(self, requests: int = 0) -> str:
        self.stopping.set()
        self.sampler.join()
        self.sample()
        wall = time.monotonic() - self.began
        machine = machine_busy_seconds() - self.machine
        gunicorn = sum(CpuMeter.tree_seconds(s) for s in self.servers) - self.gunicorn
        postgres = sum(self.last[pid] - self.first.get(pid, 0.0) for pid in self.last)
        me = self._own() - self.me
        others = max(0.0, machine - gunicorn - postgres - me)
        capacity = wall * (os.cpu_count() or 1)
        return (
            f"CPU-seconds over {wall:.1f} s wall ({capacity:.0f} available): "
            f"gunicorn {gunicorn:.1f}, PostgreSQL backends of {self.database} {postgres:.1f}, "
            f"load generator {me:.1f}, everything else on the machine {others:.1f}; "
            f"idle {max(0.0, capacity - machine):.1f}"
            + (
                f"; gunicorn {gunicorn / requests * 1000:.1f} ms and PostgreSQL "
                f"{postgres / requests * 1000:.1f} ms of CPU per request; "
                f"{requests / max(capacity - others, 0.001):.0f} requests per CPU-second "
                "left by the other processes"
                if requests
                else ""
            )
        )


def check_database(
    records: list[AttemptRecord], *, exact: bool = True
) -> tuple[list[str], list[str]]:
    """What is stored, against what the clients did. Returns (facts, problems).

    `exact`: no request failed, so the counts must match one for one. After a
    fault, a start or a submit may have been committed while its response was
    lost; then only the invariants hold: answered submits are stored, every
    submitted attempt is whole, and no page is half-saved.
    """
    from django.db import connections
    from django.db.models import Count, Q

    from assessments.models import Attempt, DimensionScore, Response, Result

    connections.close_all()  # never reuse a connection from before a restart
    facts: list[str] = []
    problems: list[str] = []
    items_total = ITEMS_PER_PAGE * PAGES

    attempts = Attempt.objects.annotate(
        n_responses=Count("responses", distinct=True),
        n_results=Count("result", distinct=True),
    )
    total = attempts.count()
    submitted = attempts.filter(status=Attempt.Status.SUBMITTED)
    in_progress = attempts.filter(status=Attempt.Status.IN_PROGRESS)
    n_submitted = submitted.count()
    results = Result.objects.annotate(n_scores=Count("scores"))
    n_results = results.count()
    started = [r for r in records if r.attempt_id]
    completed = [r for r in records if r.completed]
    answered = [r for r in records if r.final_post_answered]
    facts.append(
        f"attempts stored {total} (submitted {n_submitted}, in progress {in_progress.count()}); "
        f"clients: start answered {len(started)}, final POST answered with a result "
        f"{len(answered)}, result page shown {len(completed)}"
    )
    facts.append(
        f"results stored {n_results}; dimension scores stored {DimensionScore.objects.count()}"
    )
    if exact:
        if total != len(started):
            problems.append(f"{total} attempts stored but {len(started)} starts were answered")
        if n_submitted != len(answered):
            problems.append(
                f"{n_submitted} submitted attempts stored, but {len(answered)} final POSTs "
                "were answered with a result"
            )
    else:
        known = {r.attempt_id for r in started}
        stored_ids = {str(pk) for pk in Attempt.objects.values_list("pk", flat=True)}
        submitted_ids = {str(pk) for pk in submitted.values_list("pk", flat=True)}
        unseen = stored_ids - known
        facts.append(
            f"attempts stored whose start response the client never got: {len(unseen)} "
            "(committed, then the response was lost or was an error page)"
        )
        lost = [r.attempt_id for r in answered if r.attempt_id not in submitted_ids]
        if lost:
            problems.append(f"{len(lost)} submits answered with a result are not stored")
        silent = [r for r in started if r.attempt_id in submitted_ids and not r.final_post_answered]
        facts.append(
            f"submitted attempts whose final POST the client saw fail: {len(silent)} "
            "(stored whole; the client retried as a new person)"
        )
    if n_results != n_submitted:
        problems.append(f"{n_results} results for {n_submitted} submitted attempts")
    partial = submitted.exclude(n_responses=items_total).count()
    no_result = submitted.exclude(n_results=1).count()
    if partial:
        problems.append(f"{partial} submitted attempts without exactly {items_total} responses")
    if no_result:
        problems.append(f"{no_result} submitted attempts without exactly one result")
    early = in_progress.filter(n_results__gt=0).count()
    if early:
        problems.append(f"{early} in-progress attempts have a result")
    bad_scores = results.filter(~Q(n_scores=DIMENSIONS)).count()
    if bad_scores:
        problems.append(f"{bad_scores} results without exactly {DIMENSIONS} dimension scores")
    # Each page's 6 answers are saved in one transaction: a count that is not
    # a multiple of 6 would be a half-saved page.
    half_pages = [n for n in attempts.values_list("n_responses", flat=True) if n % ITEMS_PER_PAGE]
    if half_pages:
        problems.append(f"{len(half_pages)} attempts with a half-saved page")
    facts.append(
        f"submitted attempts with {items_total} responses and one result: "
        f"{n_submitted - max(partial, no_result)}/{n_submitted}; results with {DIMENSIONS} "
        f"dimension scores: {n_results - bad_scores}/{n_results}; attempts with a "
        f"half-saved page: {len(half_pages)}"
    )
    if not exact:
        shape: dict[int, int] = {}
        for n in in_progress.values_list("n_responses", flat=True):
            shape[n] = shape.get(n, 0) + 1
        facts.append(
            "in-progress (abandoned) attempts by answers stored: "
            + (", ".join(f"{k}: {v}" for k, v in sorted(shape.items())) or "none")
        )

    # Every answer the clients sent for a finished attempt is stored as sent,
    # and every token a client was given belongs to its own attempt.
    stored: dict[str, dict[int, int]] = {}
    ids = [r.attempt_id for r in answered]
    for attempt_id, item_id, value in Response.objects.filter(attempt_id__in=ids).values_list(
        "attempt_id", "item_id", "value"
    ):
        stored.setdefault(str(attempt_id), {})[item_id] = value
    tokens = {str(k): v for k, v in Result.objects.values_list("attempt_id", "token")}
    mismatched = [r.attempt_id for r in answered if stored.get(r.attempt_id) != r.answers]
    wrong_token = [r.attempt_id for r in answered if tokens.get(r.attempt_id) != r.token]
    if mismatched:
        problems.append(f"{len(mismatched)} finished attempts whose stored answers differ")
    if wrong_token:
        problems.append(f"{len(wrong_token)} result tokens that are not their attempt's")
    facts.append(
        f"finished attempts whose {items_total} stored answers equal those sent: "
        f"{len(answered) - len(mismatched)}/{len(answered)}; tokens matching: "
        f"{len(answered) - len(wrong_token)}/{len(answered)}"
    )
    doubles = [r for r in answered if r.double_submit]
    if doubles:
        same = [r for r in doubles if r.double_tokens and set(r.double_tokens) == {r.token}]
        kinds = sorted({r.double_submit for r in doubles})
        facts.append(
            f"double submits ({', '.join(kinds)}): {len(doubles)}, answered with the first "
            f"result's token every time: {len(same)}/{len(doubles)}"
        )
        if len(same) != len(doubles):
            problems.append(f"{len(doubles) - len(same)} double submits got another token")
    connections.close_all()
    return facts, problems


def status_counts(hits: list[Hit]) -> str:
    counts: dict[str, int] = {}
    for hit in hits:
        key = str(hit.status) if hit.status else hit.error
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))
