"""Page weight: the bytes a browser really transfers for the result page.

Run on demand from the project folder:

    .venv/bin/python bench/page_weight.py

It builds a throw-away copy of the site in a temporary folder (its own SQLite
database and STATIC_ROOT, production-like settings: DEBUG off, so the hashed,
compressed static files of WhiteNoise's CompressedManifestStaticFilesStorage),
serves it with gunicorn on a free 127.0.0.1 port, and drives Debian's Chromium
through Playwright. For each page load it sums the bytes Chromium received over
the network (CDP `Network.loadingFinished` encodedDataLength: headers plus the
body as sent, so compressed when the server compressed it); anything served
from the memory or disk cache counts as 0.

It prints figures and asserts nothing about them: it exits non-zero only when
something failed to run (set-up, server, browser, a page that did not load).
Nothing in /work/main (db.sqlite3, staticfiles/) is touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from _server import BenchError, free_port, spawn_gunicorn, stop_process, wait_until_answering

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VENDOR_FILES = ["vendor/plotly/plotly-basic.min.js", "vendor/bootstrap/bootstrap.min.css"]
# The targets, printed beside the figures (never asserted).
TARGET_FIRST_KB = 500
TARGET_REPEAT_KB = 30

SETTINGS_MODULE = "bench_settings"
SETTINGS_TEXT = """\
# Written by bench/page_weight.py: the project's own settings, with only
# STATIC_ROOT moved into this temporary folder.
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(__file__).resolve().parent / "static_root"
"""

MAKE_RESULT = """\
from assessments.taking import services
from assessments.models import BankVersion

version = BankVersion.objects.current()
attempt = services.attempt_start(bank_version=version, user=None)
services.responses_save(
    attempt=attempt,
    answers={item.pk: 1 + item.order % 5 for item in version.items.all()},
)
print("TOKEN=" + services.attempt_submit(attempt=attempt).token)
"""


def kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


# --------------------------------------------------------------------------
# Set-up: a temporary site
# --------------------------------------------------------------------------


def site_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # DEBUG off and the development defaults (ALLOWED_HOSTS has 127.0.0.1).
    for name in ("DJANGO_DEBUG", "DJANGO_ENV", "DJANGO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp), str(ROOT), env.get("PYTHONPATH")]))
    env["DJANGO_LOG_LEVEL"] = "WARNING"
    return env


def manage(env: dict[str, str], *args: str) -> str:
    command = [PYTHON, "manage.py", *args]
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise BenchError(
            f"`manage.py {' '.join(args[:1])}` failed ({done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    return done.stdout


# --------------------------------------------------------------------------
# Measuring: what Chromium's network stack reports, per request
# --------------------------------------------------------------------------


@dataclass
class Hit:
    url: str
    kind: str = ""
    status: int = 0
    transferred: int = 0  # bytes received from the network, headers included
    decoded: int = 0  # body bytes after decompression
    source: str = "network"  # or "memory cache" / "disk cache" / "revalidated"
    encoding: str = ""
    cache_control: str = ""
    finished: bool = False
    failed: str = ""

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Meter:
    """Listens to one page's CDP Network domain; `hits` in request order."""

    hits: list[Hit] = field(default_factory=list)
    _live: dict[str, Hit] = field(default_factory=dict)

    def attach(self, page) -> None:
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")
        self.cdp = cdp

    def _sent(self, event: dict) -> None:
        request_id = event["requestId"]
        redirect = event.get("redirectResponse")
        if redirect and request_id in self._live:
            # The same id carries on after a redirect: close the 3xx as its own hit.
            previous = self._live[request_id]
            self._fill(previous, redirect)
            previous.transferred = int(redirect.get("encodedDataLength", 0))
            previous.finished = True
        hit = Hit(url=event["request"]["url"], kind=event.get("type", ""))
        self._live[request_id] = hit
        self.hits.append(hit)

    def _from_cache(self, event: dict) -> None:
        hit = self._live.get(event["requestId"])
        if hit:
            hit.source = "memory cache"

    @staticmethod
    def _fill(hit: Hit, response: dict) -> None:
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        hit.status = int(response.get("status", 0))
        hit.encoding = headers.get("content-encoding", "")
        hit.cache_control = headers.get("cache-control", "")
        if response.get("fromDiskCache"):
            hit.source = "disk cache"
        elif response.get("fromPrefetchCache"):
            hit.source = "prefetch cache"
        if hit.status == 304:
            hit.source = "revalidated (304)"

    def _response(self, event: dict) -> None:
        hit = self._live.get(event["requestId"])
        if hit:
            hit.kind = event.get("type", hit.kind)
            self._fill(hit, event["response"])

    def _data(self, event: dict) -> None:
        hit = self._live.get(event["requestId"])
        if hit:
            hit.decoded += int(event.get("dataLength", 0))

    def _finished(self, event: dict) -> None:
        hit = self._live.get(event["requestId"])
        if hit:
            hit.transferred = int(event.get("encodedDataLength", 0))
            if hit.source.endswith("cache"):
                hit.transferred = 0  # never counted as network bytes
            hit.finished = True

    def _failed(self, event: dict) -> None:
        hit = self._live.get(event["requestId"])
        if hit:
            hit.failed = event.get("errorText", "failed")
            hit.finished = True

    def total(self) -> int:
        return sum(hit.transferred for hit in self.hits)


def new_page(context):
    """A tab whose script errors are collected in `page.errors`."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(f"uncaught {error}"))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    return page


def measured_load(page, url: str, *, wait_for_chart: bool = False) -> Meter:
    """Navigate `page` to `url`; return what went over the wire for that load."""
    meter = Meter()
    meter.attach(page)
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise BenchError(f"{url} answered {response.status if response else 'nothing'}")
    page.wait_for_load_state("networkidle")
    if wait_for_chart:
        # The chart drawn proves plotly.js and charts.js really ran.
        page.wait_for_selector('[data-figure][data-drawn="true"]', state="attached")
    # Let the last CDP events arrive before reading them.
    deadline = time.monotonic() + 5
    while not all(hit.finished for hit in meter.hits) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    meter.cdp.detach()
    if page.errors:
        raise BenchError(f"{url}: errors in the page: {page.errors}")
    broken = [
        f"{hit.path}: {hit.failed or hit.status}"
        for hit in meter.hits
        if hit.failed or hit.status >= 400
    ]
    if broken:
        raise BenchError(f"{url}: requests failed: {broken}")
    return meter


def question_page_url(context, base_url: str) -> str:
    """Start an attempt with the context's API client (it shares the context's
    cookies but not its HTTP cache), so the question page's first load is cold."""
    home = context.request.get(base_url)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text())
    if not match:
        raise BenchError("No CSRF token in the home page's start form")
    started = context.request.post(
        f"{base_url}assessment/start/",
        form={"csrfmiddlewaretoken": match.group(1)},
        headers={"Referer": base_url},
        max_redirects=0,
    )
    location = started.headers.get("location", "")
    if started.status != 302 or "/pages/" not in location:
        raise BenchError(f"Starting an attempt answered {started.status} {location!r}")
    return location if location.startswith("http") else base_url.rstrip("/") + location


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def print_result_table(first: Meter, repeat: Meter) -> None:
    repeat_by_path: dict[str, list[Hit]] = {}
    for hit in repeat.hits:
        repeat_by_path.setdefault(hit.path, []).append(hit)
    rows = []
    for hit in first.hits:
        again = repeat_by_path.get(hit.path, [])
        other = again.pop(0) if again else None
        rows.append((hit, other))
    rows += [(None, hit) for hits in repeat_by_path.values() for hit in hits]

    def name(hit: Hit) -> str:
        path = hit.path
        return path if len(path) <= 58 else path[:26] + "…" + path[-31:]

    header = f"{'resource':<59} {'enc':<5} {'first KB':>9}  {'repeat KB':>9}  repeat came from"
    print(header)
    print("-" * len(header))
    for hit, other in rows:
        shown = hit or other
        encoding = (hit.encoding if hit else "") or (other.encoding if other else "") or "-"
        first_kb = kb(hit.transferred) if hit else "-"
        repeat_kb = kb(other.transferred) if other else "(none)"
        source = other.source if other else "not requested"
        print(f"{name(shown):<59} {encoding:<5} {first_kb:>9}  {repeat_kb:>9}  {source}")
    print("-" * len(header))
    print(
        f"{'TOTAL transferred':<59} {'':<5} {kb(first.total()):>9}  {kb(repeat.total()):>9}"
        f"  ({len(first.hits)} / {len(repeat.hits)} requests)"
    )
    print(
        f"target: first load <= {TARGET_FIRST_KB} KB -> "
        f"{'met' if first.total() <= TARGET_FIRST_KB * 1024 else 'NOT met'}; "
        f"repeat visit < {TARGET_REPEAT_KB} KB -> "
        f"{'met' if repeat.total() < TARGET_REPEAT_KB * 1024 else 'NOT met'}"
    )


def print_headers(meter: Meter, label: str) -> None:
    print(
        f"\nResponse headers on the {label} (status, Content-Encoding, Cache-Control;"
        " a cached copy shows the headers it was stored with):"
    )
    for hit in meter.hits:
        print(
            f"  {hit.status:>3} {hit.encoding or '-':<5} "
            f"{hit.cache_control or '(no Cache-Control)':<45}"
            f" {hit.path[:70]}"
        )


def print_vendor_sizes(static_root: Path, base_url: str, first: Meter) -> None:
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    print("\nVendor files (bytes): uncompressed, and the compressed copies collectstatic wrote")
    print(f"  {'file':<36} {'raw':>10} {'.gz':>10} {'.br':>10}  served to Chromium as")
    for name in VENDOR_FILES:
        hashed = manifest[name]
        raw = static_root / hashed
        gz, br = Path(f"{raw}.gz"), Path(f"{raw}.br")
        served = next((h for h in first.hits if h.path.endswith("/" + hashed)), None)
        how = (
            f"{served.encoding or 'identity'}, {served.transferred:,} B transferred, "
            f"{served.decoded:,} B decoded"
            if served
            else "not requested"
        )
        print(
            f"  {Path(name).name:<36} {raw.stat().st_size:>10,} "
            f"{gz.stat().st_size if gz.exists() else 0:>10,} "
            f"{br.stat().st_size if br.exists() else 0:>10,}  {how}"
        )
    print("  What the server sends for each Accept-Encoding (urllib, Content-Encoding / bytes):")
    for name in VENDOR_FILES:
        url = f"{base_url}static/{manifest[name]}"
        answers = []
        for accept in ("br, gzip", "gzip", "identity"):
            request = urllib.request.Request(url, headers={"Accept-Encoding": accept})  # noqa: S310
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body = response.read()
                answers.append(
                    f"{accept!r}: {response.headers.get('Content-Encoding') or 'identity'} "
                    f"{len(body):,}"
                )
        print(f"    {Path(name).name:<24} " + "; ".join(answers))


# --------------------------------------------------------------------------


def main() -> int:
    started = time.monotonic()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print("Needs Debian's Chromium: apt-get install -y chromium", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Needs Playwright in the venv (pip install -e '.[dev]')", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    server = None
    try:
        (tmp / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT)
        env = site_env(tmp)
        static_root = tmp / "static_root"

        step = time.monotonic()
        setup_steps: list[str] = []
        for args in (
            ["migrate", "--no-input"],
            ["load_default_bank"],
            ["collectstatic", "--no-input"],
        ):
            begun = time.monotonic()
            manage(env, *args)
            setup_steps.append(f"{args[0]} {time.monotonic() - begun:.1f} s")
        begun = time.monotonic()
        token_line = manage(env, "shell", "-c", MAKE_RESULT)
        setup_steps.append(f"result {time.monotonic() - begun:.1f} s")
        match = re.search(r"TOKEN=(\S+)", token_line)
        if not match:
            raise BenchError(f"No result token in: {token_line!r}")
        token = match.group(1)
        setup_s = time.monotonic() - step

        port = free_port()
        base_url = f"http://127.0.0.1:{port}/"
        log_path = tmp / "gunicorn.log"
        server = spawn_gunicorn(
            env, port, log_path, extra=["--access-logfile", "-", "--error-logfile", "-"]
        )
        wait_until_answering(server, base_url, log_path)
        result_url = f"{base_url}results/{token}/"

        html = urllib.request.urlopen(result_url, timeout=10).read().decode()  # noqa: S310
        if not re.search(r"plotly-basic\.min\.[0-9a-f]{12}\.js", html):
            tags = "\n".join(re.findall(r"<(?:script|link)[^>]*>", html))
            raise BenchError(f"The result page does not use hashed static names:\n{tags}")

        step = time.monotonic()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            user_agent = browser.version
            try:
                # No context.route(): Playwright turns the HTTP cache off when routing.
                # A fresh context has an empty HTTP cache of its own.
                context = browser.new_context()
                page = new_page(context)
                first = measured_load(page, result_url, wait_for_chart=True)
                # The repeat visit: the same tab navigates to the page again.
                repeat = measured_load(page, result_url, wait_for_chart=True)
                context.close()

                context = browser.new_context()
                home = measured_load(new_page(context), base_url)
                context.close()

                context = browser.new_context()
                url = question_page_url(context, base_url)
                question = measured_load(new_page(context), url)
                context.close()
            finally:
                browser.close()
        browser_s = time.monotonic() - step

        print(
            f"Page weight, {time.strftime('%Y-%m-%d %H:%M')}, Chromium {user_agent}, "
            f"gunicorn on {base_url} (DEBUG off, {SETTINGS_MODULE} in {tmp})"
        )
        print(
            "Bytes transferred = CDP encodedDataLength (headers + body on the wire); "
            "cache hits count 0. KB = 1024 bytes.\n"
        )
        print("Result page: first visit (empty cache), then a repeat visit in the same context")
        print_result_table(first, repeat)
        print_headers(first, "result page's first load")
        print_headers(repeat, "result page's repeat visit")
        print("\nFirst loads (empty cache, fresh context):")
        for label, meter in (
            ("home page", home),
            ("question page 1", question),
            ("result page", first),
        ):
            print(f"  {label:<16} {kb(meter.total()):>8} KB in {len(meter.hits)} requests")
        print_vendor_sizes(static_root, base_url, first)
        print(
            f"\nRun time: {time.monotonic() - started:.1f} s (set-up {setup_s:.1f} s, "
            f"browser {browser_s:.1f} s)"
        )
        print(f"Set-up steps: {', '.join(setup_steps)}")
        return 0
    except BenchError as error:
        print(f"page_weight failed: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_process(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
