"""A result's report as a PDF: the result page's own print view, printed by Chromium.

Chromium runs the page's own charts.js, so plotly.js draws the chart from the
same figure JSON as on screen, and Chromium's PDF keeps that SVG as vectors:
the PDF's chart is the page's chart, and the PDF's pages are what Print ->
Save as PDF gives, with nothing to keep in step (a second template, a Python
copy of charts.js's layout rules, another plotly.js).

The caller renders the page's HTML. Here it is loaded at the page's own
address in a browser context that answers every request itself: the page
from memory, ``/static/...`` from the app's static files, anything else
refused, so the browser reaches no network. The charts are drawn in a
desktop-sized window, then the page is told ``beforeprint``, as a browser
printing it would, and charts.js draws them at the printed width before
Chromium prints.

One Chromium per process, started on first use and kept. Playwright's sync
API ties its objects to the thread that started them and leaves an asyncio
loop marked as running there, which Django's ORM then refuses to share; so
the browser lives in a thread of its own and requests hand it jobs. That
thread prints one PDF at a time, which is this module's lock: a process
never runs two renders at once, however many threads ask.
"""

import atexit
import logging
import os
import queue
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from django.conf import settings
from playwright.sync_api import (
    Browser,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assessments.taking.pdf_page import MARGIN_MM, VIEWPORT, Answers, footer, print_page

logger = logging.getLogger(__name__)

CSS_PX_PER_MM = 96 / 25.4
# The whole wait for a PDF, queue included: under gunicorn's 30 s worker timeout.
TIMEOUT_SECONDS = 20.0
# PDFs a process makes or queues at once (one prints, the rest wait, about
# 1.5 s each); more are refused at once rather than holding server threads.
MAX_PENDING = 3

CHROMIUM_ARGS = [
    # The container runs as a user without the namespaces Chromium's sandbox
    # needs. It loads only our own page, and every request it makes is
    # answered here or refused.
    "--no-sandbox",
    "--disable-gpu",
    # Docker gives /dev/shm 64 MB, too little for Chromium's shared memory.
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--dns-prefetch-disable",
]


@dataclass(frozen=True)
class Paper:
    key: str  # as the query string names it
    format: str  # as Chromium names it
    width_mm: float

    @property
    def printable_width(self) -> int:
        """The width inside the margins in CSS px: the width Chromium lays
        the page out at to print it."""
        return int((self.width_mm - 2 * MARGIN_MM) * CSS_PX_PER_MM)


A4 = Paper("a4", "A4", 210)
LETTER = Paper("letter", "Letter", 215.9)
PAPERS = {paper.key: paper for paper in (A4, LETTER)}


class PdfError(Exception):
    """No PDF this time."""


class PdfUnavailable(PdfError):
    """This server cannot print: Chromium is missing or does not start."""


class PdfTimeout(PdfError):
    """The PDF took longer than the time allowed."""


class PdfBusy(PdfError):
    """This process is already making as many PDFs as it queues, or this
    client is waiting for one: refused at once rather than queued."""


def chromium_path() -> str:
    return settings.PDF_CHROMIUM_PATH


def chromium_available() -> bool:
    path = chromium_path()
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def render_pdf(
    html: str, *, url: str, paper: Paper = A4, timeout: float | None = None, client: str = ""
) -> bytes:
    """The PDF of ``html`` as Chromium prints it at ``url``, the page's own
    address, which its links and ``/static/`` files are resolved against.

    Raises PdfUnavailable, PdfBusy (this client already waits for a PDF, or
    MAX_PENDING are queued), PdfTimeout, or PdfError for any other failure;
    each is logged here.
    """
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    if not chromium_available():
        logger.warning("PDF requested, but Chromium is not at %s", chromium_path())
        raise PdfUnavailable(f"No Chromium at {chromium_path()}")
    # The browser's own time limits end a slow print a little before the
    # caller stops waiting, so a print still running then is stuck.
    deadline = time.monotonic() + timeout - min(2.0, timeout / 10)
    job = _Job(html=html, url=url, paper=paper, deadline=deadline, client=client, footer=footer())
    _printer.submit(job)
    try:
        return job.future.result(timeout=timeout)
    except FutureTimeout:
        logger.error("PDF not ready after %.1f s for %s", timeout, paper.format)
        if not job.future.cancel():  # a queued job is skipped; a running one is stuck
            _printer.abandon()
        raise PdfTimeout(f"No PDF after {timeout:.1f} s") from None


@dataclass
class _Job:
    html: str
    url: str
    paper: Paper
    deadline: float  # time.monotonic()
    client: str = ""  # who asked (their address), for one PDF at a time each
    footer: str = ""  # the page numbers, in the asker's language (pdf_page.footer)
    future: Future[bytes] = field(default_factory=Future)

    def milliseconds_left(self) -> float:
        return max(1.0, (self.deadline - time.monotonic()) * 1000)


class _Printer:
    """The thread that owns this process's Chromium, and its queue of jobs."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._pending: list[_Job] = []  # submitted, not yet done

    def submit(self, job: _Job) -> None:
        """Queue the job, or refuse it at once (PdfBusy): each waiting request
        holds a server thread, so a burst must not queue, and one client may
        not wait for two PDFs while others wait for theirs."""
        with self._lock:
            self._pending = [other for other in self._pending if not other.future.done()]
            if len(self._pending) >= MAX_PENDING:
                raise PdfBusy(f"{len(self._pending)} PDFs are being made or waiting")
            if job.client and any(other.client == job.client for other in self._pending):
                raise PdfBusy("This client is already waiting for a PDF")
            self._pending.append(job)
            # A forked child (a gunicorn worker) has the parent's object but
            # not its thread or browser.
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._jobs = queue.SimpleQueue()
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="pdf-printer", daemon=True)
                self._thread.start()
            self._jobs.put(job)

    def abandon(self) -> None:
        """Leave a stuck thread to close its browser when it can, and print
        the next PDF with a new thread and browser."""
        with self._lock:
            if self._thread is not None and self._pid == os.getpid():
                logger.error("The PDF browser is stuck: starting another")
                self._jobs.put(None)
                self._thread = None

    def close(self, timeout: float = 10) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None or self._pid != os.getpid() or not thread.is_alive():
                return
            self._jobs.put(None)
        thread.join(timeout)

    def _run(self) -> None:
        jobs = self._jobs
        chromium = _Chromium()
        try:
            while (job := jobs.get()) is not None:
                if not job.future.set_running_or_notify_cancel():
                    continue  # its caller stopped waiting
                try:
                    job.future.set_result(chromium.print(job))
                except PdfError as error:
                    job.future.set_exception(error)
                except Exception as error:
                    logger.exception("PDF failed")
                    chromium.close()
                    job.future.set_exception(PdfError(str(error)))
        finally:
            chromium.close()


class _Chromium:
    """Playwright and its browser, used only from the printer's thread."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def browser(self, job: _Job) -> Browser:
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self.close()
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_ARGS,
                timeout=job.milliseconds_left(),
            )
        except PlaywrightError as error:
            logger.exception("Chromium at %s did not start", chromium_path())
            self.close()
            raise PdfUnavailable(f"Chromium did not start: {error}") from error
        return self._browser

    def print(self, job: _Job) -> bytes:
        browser = self.browser(job)
        context = browser.new_context(
            viewport=VIEWPORT,
            service_workers="block",
            accept_downloads=False,
        )
        try:
            context.route("**/*", Answers(job).answer)
            return print_page(context, job)
        except PlaywrightTimeout as error:
            logger.error("PDF timed out (%s): %s", job.paper.format, error)
            # A browser that hangs once may hang again: start afresh next time.
            self.close()
            raise PdfTimeout(str(error)) from error
        except PlaywrightError as error:
            logger.exception("PDF failed (%s)", job.paper.format)
            self.close()
            raise PdfError(str(error)) from error
        finally:
            if self._browser is not None:
                try:
                    context.close()
                except PlaywrightError:
                    logger.warning("A PDF's browser context did not close", exc_info=True)

    def close(self) -> None:
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        try:
            if browser is not None:
                browser.close()
        except PlaywrightError:
            logger.warning("Chromium did not close cleanly", exc_info=True)
        finally:
            if playwright is not None:
                playwright.stop()


_printer = _Printer()
# The browser is not left to the interpreter's end: it goes with the process.
atexit.register(_printer.close)
