"""A local SMTP server that delivers nothing and counts everything: each
message's recipients and Message-ID, in memory and one line each in a file.

In a thread of the calling process (the tests, bench/outbox.py):

    with SmtpSink(log=path) as sink:       # sink.port; sink.received() -> [(to, id), ...]
        ...

Or as a process: python bench/smtp_sink.py --port 2525 --log sink.log [--delay 0.02]

``delay`` is the seconds the server takes to say it accepted a message,
after it has recorded it: a worker stopped during that time has handed the
message over without knowing it arrived, as with a slow real server.
"""

import argparse
import asyncio
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class _Handler:
    def __init__(self, log: Path | None, delay: float) -> None:
        self.log = log.open("a", buffering=1) if log else None
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = _MESSAGE_ID.search(head)
        message_id = found.group(1).decode() if found else ""
        with self.lock:
            for to in envelope.rcpt_tos:
                self.messages.append((to, message_id))
                if self.log:
                    self.log.write(f"{to} {message_id}\n")
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """The server in a thread of this process, on a free port of 127.0.0.1."""

    def __init__(self, log: Path | None = None, delay: float = 0.0, port: int = 0) -> None:
        self.port = port or free_port()
        self.handler = _Handler(log, delay)
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10
        )

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
        if self.handler.log:
            self.handler.log.close()

    def received(self) -> list[tuple[str, str]]:
        """(recipient, Message-ID) of every message accepted so far."""
        with self.handler.lock:
            return list(self.handler.messages)

    def count(self) -> int:
        with self.handler.lock:
            return len(self.handler.messages)

    def wait_for(self, count: int, timeout: float) -> bool:
        """Whether ``count`` messages arrived within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= count:
                return True
            time.sleep(0.02)
        return self.count() >= count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--log", type=Path, default=None)
    parser.add_argument("--delay", type=float, default=0.0)
    options = parser.parse_args()
    with SmtpSink(options.log, options.delay, options.port) as sink:
        print(f"SMTP sink on 127.0.0.1:{sink.port}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
