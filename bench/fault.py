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
from sandbox import BenchError, Site, sandbox
from scenario import Run, run_clients
from servers import Server, pin_self, start_server, stop_server


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=20, help="per client")
    parser.add_argument("--restart-after", type=float, default=5.0, help="seconds into the load")
    parser.add_argument(
        "--down-for", type=float, default=0, metavar="S",
        help="instead of `restart`: `stop`, wait S seconds, `start` (a longer outage)",
    )  # fmt: skip
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
