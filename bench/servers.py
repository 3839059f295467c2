"""gunicorn serving a sandbox's site (`config.wsgi`) on a free 127.0.0.1 port."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sandbox import ROOT, BenchError, Site


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str
    log_path: Path
    workers: int
    describe: str

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return sorted(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))
        except OSError:
            return []

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


def start_server(site: Site, name: str, workers: int, cpus: str | None, *options: str) -> Server:
    """gunicorn pinned with `taskset -c cpus` (unless None), once every worker is up."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = site.tmp / f"gunicorn-{name}.log"
    command = [*(["taskset", "-c", cpus] if cpus else []), sys.executable, "-m", "gunicorn"]
    command += ["config.wsgi", f"--bind=127.0.0.1:{port}", f"--workers={workers}", *options]
    command += ["--backlog=2048", "--timeout=60", "--error-logfile=-", "--log-level=warning"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=site.env, stdout=log, stderr=log)  # noqa: S603
    describe = " ".join([f"gunicorn {name} on 127.0.0.1:{port}: {workers} workers", *options])
    describe += f", taskset -c {cpus}" if cpus else ", not pinned"
    server = Server(name, process, f"http://127.0.0.1:{port}", log_path, workers, describe)
    for _ in range(300):
        if process.poll() is not None:
            raise BenchError(f"gunicorn {name} exited:\n{server.log_tail()}")
        try:
            answered = requests.get(f"{server.base}/healthz/", timeout=2).status_code == 200
            if answered and len(server.worker_pids()) >= workers:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn {name} did not answer within a minute")


def stop_server(server: Server | None) -> None:
    """The master stops its workers on SIGTERM."""
    if server is not None and server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()


def pin_self(cpus: str) -> None:
    """Pin this process (the load generator) like `taskset -c cpus` would."""
    chosen: set[int] = set()
    for low, _, high in (part.partition("-") for part in cpus.split(",") if part):
        chosen.update(range(int(low), int(high or low) + 1))
    os.sched_setaffinity(0, chosen)
