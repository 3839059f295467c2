"""gunicorn serving a sandbox's site (`config.wsgi`) on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sandbox import ROOT, BenchError, Site


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    cpus: str | None
    workers: int
    worker_class: str
    threads: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return sorted(
                int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            )
        except OSError:
            return []

    def describe(self) -> str:
        kind = self.worker_class + (f" x{self.threads} threads" if self.threads > 1 else "")
        return (
            f"gunicorn {self.name} on {self.base}: {self.workers} {kind} workers, "
            f"taskset -c {self.cpus or '(not pinned)'}, master pid {self.process.pid}"
        )

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def start_server(
    site: Site,
    name: str = "A",
    *,
    workers: int = 4,
    worker_class: str = "sync",
    threads: int = 1,
    cpus: str | None = "0,1",
) -> Server:
    """gunicorn pinned with `taskset -c cpus` (unless None), once every worker is up."""
    port = free_port()
    log_path = site.tmp / f"gunicorn-{name}.log"
    command = [*(["taskset", "-c", cpus] if cpus else []), sys.executable, "-m", "gunicorn"]
    command += ["config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", worker_class, "--threads", str(threads), "--backlog", "2048"]
    command += ["--timeout", "60", "--error-logfile", "-", "--log-level", "warning"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=site.env, stdout=log, stderr=subprocess.STDOUT
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
    """The master stops its workers on SIGTERM."""
    if server is None or server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


def pin_self(cpus: str) -> None:
    """Pin this process (the load generator) like `taskset -c cpus` would."""
    chosen: set[int] = set()
    for part in filter(None, cpus.split(",")):
        low, _, high = part.partition("-")
        chosen.update(range(int(low), int(high or low) + 1))
    os.sched_setaffinity(0, chosen)
