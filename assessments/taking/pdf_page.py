"""The printing itself, inside the browser thread of taking.pdf: the page
loaded with every request answered here, its charts drawn at the printed
width, then Chromium's PDF."""

import logging
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils.translation import gettext as _
from playwright.sync_api import BrowserContext, Request, Route, ViewportSize

if TYPE_CHECKING:
    from assessments.taking.pdf import _Job

logger = logging.getLogger("assessments.taking.pdf")

# The page margin of site.css's @page rule.
MARGIN_MM = 15

# Nothing but the page's own script and style sheets, and no connection out
# (a WebSocket would pass the request routing below).
DOCUMENT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)

# charts.js draws the charts once plotly.js has loaded; when it loads
# plotly.js lazily, it offers spectrumCharts.drawAll() to printing scripts.
DRAW_CHARTS = """async (milliseconds) => {
  if (!window.spectrumCharts) return;
  const late = new Promise((_, fail) =>
    setTimeout(() => fail(new Error("charts not drawn in time")), milliseconds));
  await Promise.race([window.spectrumCharts.drawAll(), late]);
}"""
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll("[data-figure]"))
  .every((chart) => chart.dataset.drawn === "true")"""
# What a browser does when asked to print: beforeprint, on which charts.js
# draws each chart at the printed width. Two frames let that drawing land.
BEFORE_PRINT = """async (milliseconds) => {
  window.dispatchEvent(new Event("beforeprint"));
  const late = new Promise((_, fail) =>
    setTimeout(() => fail(new Error("fonts not loaded in time")), milliseconds));
  const frames = new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await Promise.race([document.fonts.ready.then(() => frames), late]);
}"""
# The widest chart drawing, in CSS px.
WIDEST_CHART = """() => Math.max(0, ...Array.from(document.querySelectorAll("[data-figure] svg"))
  .map((svg) => svg.getBoundingClientRect().width))"""
# A desktop browser's window. Chromium lays a printed page out at the
# paper's width whatever the window, but charts.js measures the screen
# layout: in a phone-sized window it would draw the phone's chart.
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# Page numbers in the bottom margin; Chromium's default header (date and
# title) is replaced by nothing.
HEADER = "<span></span>"
FOOTER_STYLE = (
    "width:100%;font-size:8px;font-family:sans-serif;color:#495057;"
    f"text-align:right;padding:0 {MARGIN_MM}mm"
)


def footer() -> str:
    """The page numbers, in the active language: built by the request
    asking for the PDF, since the printer's thread has no language of its own."""
    # Chromium fills the two spans in.
    words = _("Page %(page)s of %(pages)s") % {
        "page": '<span class="pageNumber"></span>',
        "pages": '<span class="totalPages"></span>',
    }
    return f'<div style="{FOOTER_STYLE}">{words}</div>'


def print_page(context: BrowserContext, job: "_Job") -> bytes:
    page = context.new_page()
    # Screen media until Chromium prints, as in a reader's browser. Emulated
    # print media would be measured against the window, not the paper, so
    # the page's breakpoints (Bootstrap's container) would differ from a
    # real print's; and a print style sheet may hide a chart until drawn.
    page.goto(job.url, wait_until="load", timeout=job.milliseconds_left())
    page.evaluate(DRAW_CHARTS, job.milliseconds_left())
    page.wait_for_function(CHARTS_DRAWN, timeout=job.milliseconds_left())
    page.evaluate(BEFORE_PRINT, job.milliseconds_left())
    page.wait_for_function(CHARTS_DRAWN, timeout=job.milliseconds_left())
    widest = page.evaluate(WIDEST_CHART)
    if widest > job.paper.printable_width:
        logger.warning("A chart %d px wide is cut on %s paper", widest, job.paper.format)
    # page.pdf tells the page beforeprint again; charts.js then finds each
    # chart already drawn at that width and leaves it.
    return page.pdf(
        format=job.paper.format,
        print_background=True,
        # No margins here: the print style sheet's @page rule sets them, as
        # in a browser. Chromium would measure the page's breakpoints inside
        # margins given here, and Bootstrap would then pick a narrower
        # column than a reader's print has, cutting the chart.
        display_header_footer=True,
        header_template=HEADER,
        footer_template=job.footer or footer(),
        # Tagged for screen readers; headings become the PDF's bookmarks.
        tagged=True,
        outline=True,
    )


class Answers:
    """Every request the page makes, answered without the network."""

    def __init__(self, job: "_Job") -> None:
        self.job = job
        self.static_prefix = urlsplit(settings.STATIC_URL).path
        self.origin: str | None = None  # as Chromium spells the page's own

    def answer(self, route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if self.origin is None and request.resource_type == "document":
            # The page itself (Chromium may have normalised its address).
            self.origin = f"{parts.scheme}://{parts.netloc}"
            route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": DOCUMENT_CSP},
                body=self.job.html,
            )
            return
        if f"{parts.scheme}://{parts.netloc}" == self.origin and parts.path.startswith(
            self.static_prefix
        ):
            name = unquote(parts.path.removeprefix(self.static_prefix))
            body = static_file(name)
            if body is not None:
                content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                route.fulfill(status=200, content_type=content_type, body=body)
                return
        logger.warning("PDF page asked for %s: refused", request.url)
        route.abort("blockedbyclient")


def static_file(name: str) -> bytes | None:
    """A static file's bytes as the app serves them: from the finders (the
    source folders, as in development) or from the storage (collectstatic's
    output, whose hashed names only it knows); None if neither has it."""
    try:
        found = finders.find(name)
        if isinstance(found, str):
            return Path(found).read_bytes()
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
    except (SuspiciousFileOperation, ValueError, OSError):
        return None
    return None
