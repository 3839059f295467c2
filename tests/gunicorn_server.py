"""The app under a real gunicorn with config/gunicorn.py, for the deployment tests.

Production's settings (config.settings: logging, hosts, proxy headers), SQLite
in a temporary folder, and plain static storage, since no collectstatic runs.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = """from config.settings import *  # noqa: F403
STATIC_ROOT = {static!r}
STORAGES = {{**STORAGES, "staticfiles": {{"BACKEND": \
"django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
"""
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "e2e-" + "q8Zr4Tn6Wm2Xp5Lk9Hs3Vd7Bf1Jc" * 2,
    "DJANGO_BEHIND_TLS_PROXY": "true",
    "GUNICORN_WORKERS": "1",
}


@dataclass
class Server:
    base: str
    env: dict[str, str]
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(folder: Path, **environ: str) -> Iterator[Server]:
    """gunicorn serving the app on a free port until the block ends; its output
    (stdout and stderr) is in ``Server.log`` once the block has ended."""
    (folder / "static").mkdir(exist_ok=True)
    (folder / "e2e_settings.py").write_text(SETTINGS.format(static=str(folder / "static")))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.pop("DATABASE_URL", None)
    env |= PRODUCTION | {
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "e2e_settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **environ,
    }
    log = folder / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=output, stderr=output)  # noqa: S603
    server = Server(f"http://127.0.0.1:{port}", env, log)
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
            try:
                requests.get(f"{server.base}/healthz/", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer within a minute:\n{log.read_text()}")
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
