"""Who used the CPUs during a run, read from /proc: gunicorn's processes, the
PostgreSQL backends of the run's database, this load generator, everything else."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from servers import Server

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def backend_pids(database: str) -> list[int]:
    """PostgreSQL backends connected to `database`, found by their process titles."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and title.startswith("postgres:") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


def machine_seconds() -> float:
    """CPU time used by everything on the machine (all CPUs, /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICKS


def own_seconds() -> float:
    times = os.times()
    return times.user + times.system


class CpuUse:
    """Between start() and stop(). Backends come and go (CONN_MAX_AGE, restarts):
    they are sampled twice a second, keeping each one's first and last reading."""

    def __init__(self, servers: list[Server], database: str) -> None:
        self.servers, self.database = servers, database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.running = False
        self.stopping = threading.Event()
        self.sampler = threading.Thread(target=self._sample_loop, daemon=True)

    def _gunicorn(self) -> float:
        pids = [p for s in self.servers for p in [s.process.pid, *s.worker_pids()]]
        return sum(process_seconds(pid) for pid in pids)

    def _sample(self) -> None:
        for pid in backend_pids(self.database):
            if seconds := process_seconds(pid):
                # A backend first seen after the start began during the run.
                self.first.setdefault(pid, 0.0 if self.running else seconds)
                self.last[pid] = seconds

    def _sample_loop(self) -> None:
        while not self.stopping.wait(0.5):
            self._sample()

    def start(self) -> None:
        self._sample()
        self.running = True
        self.began, self.gunicorn = time.monotonic(), self._gunicorn()
        self.machine, self.me = machine_seconds(), own_seconds()
        self.sampler.start()

    def stop(self, requests: int) -> str:
        self.stopping.set()
        self.sampler.join()
        self._sample()
        wall = time.monotonic() - self.began
        machine, me = machine_seconds() - self.machine, own_seconds() - self.me
        gunicorn = self._gunicorn() - self.gunicorn
        postgres = sum(last - self.first[pid] for pid, last in self.last.items())
        others = max(0.0, machine - gunicorn - postgres - me)
        capacity = wall * (os.cpu_count() or 1)
        return (
            f"CPU-seconds over {wall:.1f} s wall ({capacity:.0f} available): gunicorn "
            f"{gunicorn:.1f}, PostgreSQL backends of {self.database} {postgres:.1f}, load "
            f"generator {me:.1f}, everything else on the machine {others:.1f}; idle "
            f"{max(0.0, capacity - machine):.1f}; gunicorn {gunicorn / max(requests, 1) * 1000:.1f}"
            f" ms and PostgreSQL {postgres / max(requests, 1) * 1000:.1f} ms of CPU per request; "
            f"{requests / max(capacity - others, 0.001):.0f} requests per CPU-second left by the "
            "other processes"
        )
