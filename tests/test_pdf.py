"""A result's PDF, printed by the server's Chromium: the scores, bands, private
link and credit are in its text; poppler renders every page; the chart is
whole, inside the page and drawn as vectors; A4 and Letter; the same access
as the result page; a clear 503 without Chromium or in time; a rate limit."""

import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.content import article
from assessments.content.scoring import shown
from assessments.models import Result
from assessments.presentation import OVERALL_LABEL, read_result
from assessments.taking import pdf, pdf_page
from ratelimits import limits
from tests.helpers import found, submitted_result
from tests.print_pages import assert_pages_well_filled

pytestmark = pytest.mark.browser

POINTS_PER_MM = 72 / 25.4
POINTS_PER_CSS_PX = 0.75
MARGIN = pdf.MARGIN_MM * POINTS_PER_MM
A4_POINTS = (595.92, 842.88)
LETTER_POINTS = (612.0, 792.0)


@pytest.fixture(autouse=True)
def _poppler() -> None:
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.fail("The PDF tests read PDFs with poppler: apt-get install poppler-utils")


def mixed(item) -> int:
    """Answers that land the dimensions in different places."""
    return 1 + item.pk % 5


def leaning_leader(item) -> int:
    return 5 if item.pole == "leader" else 1


def pdf_url(result: Result, paper: str | None = None) -> str:
    url = reverse("taking:result_pdf", args=[result.token])
    return f"{url}?paper={paper}" if paper else url


def which(tool: str) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} is missing: apt-get install poppler-utils"
    return found


def poppler(tool: str, document: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "result.pdf"
    path.write_bytes(document)
    return subprocess.run(
        [which(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    words: list[Word]


def pages(document: bytes, tmp_path: Path) -> list[PdfPage]:
    """Each page's size and its words with their boxes, in points."""
    found = []
    xml = poppler("pdftotext", document, tmp_path, "-bbox")
    for width, height, body in re.findall(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S
    ):
        words = [
            Word(unescape(text), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>",
                body,
            )
        ]
        found.append(PdfPage(float(width), float(height), words))
    return found


def figure_words(figure: dict) -> Counter[str]:
    """Every word the chart writes: band labels, ticks, rows, scores."""
    layout = figure["layout"]
    texts = [note["text"] for note in layout["annotations"]]
    texts += layout["xaxis"]["ticktext"]
    for trace in figure["data"]:
        if "text" in trace:  # the bands behind the points write no words
            texts += trace["y"] + trace["text"]
    return Counter(word for text in texts for word in re.split(r"\s+|<br>", text) if word)


def gray_page(document: bytes, tmp_path: Path, number: int, dpi: int = 50):
    """Page ``number`` rendered by pdftoppm in gray: (width, height, pixels)."""
    (tmp_path / "result.pdf").write_bytes(document)
    prefix = tmp_path / f"page{number}"
    subprocess.run(
        [which("pdftoppm"), "-gray", "-r", str(dpi), "-f", str(number), "-l", str(number)]
        + ["-singlefile", str(tmp_path / "result.pdf"), str(prefix)],
        check=True,
    )
    data = prefix.with_suffix(".pgm").read_bytes()
    magic, width, height, _maximum, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


def assert_chart_inside_the_page(document: bytes, figure: dict, tmp_path: Path) -> None:
    """The chart is on one page, every word it writes is printed (a chart cut
    at the page's edge loses its right-hand labels) and lies inside the
    margins, and nothing at all is drawn in the side margins."""
    # The chart has no title (the page's heading says what it is): it is found
    # by its band names, side by side in a row across its top margin.
    layout = figure["layout"]
    bands = {word for note in layout["annotations"] for word in note["text"].split()}
    for number, page in enumerate(pages(document, tmp_path), start=1):
        rows = [
            word.top
            for word in page.words
            if bands <= {other.text for other in page.words if abs(other.top - word.top) < 1}
        ]
        if not rows:
            continue
        # The band names stand a little below the chart's top edge.
        names = rows[0]
        top = names - layout["margin"]["t"] * POINTS_PER_CSS_PX
        bottom = names + layout["height"] * POINTS_PER_CSS_PX
        in_chart = [w for w in page.words if top - 1 <= w.top and w.bottom <= bottom + 1]
        missing = figure_words(figure) - Counter(w.text for w in in_chart)
        assert not missing, f"The chart on page {number} lost {dict(missing)}"
        for word in in_chart:
            assert word.left >= MARGIN - 1 and word.right <= page.width - MARGIN + 1, word
        break
    else:
        pytest.fail("The chart's band names are not in the PDF")

    width, height, pixels = gray_page(document, tmp_path, number)
    margin = round(pdf.MARGIN_MM / 25.4 * 50) - 1
    for y in range(height - margin):  # the bottom margin holds the page number
        row = pixels[y * width : (y + 1) * width]
        assert min(row[:margin]) > 240, f"something is drawn in the left margin at {y}"
        assert min(row[-margin:]) > 240, f"something is drawn in the right margin at {y}"


# --- What the PDF holds ----------------------------------------------------------


def test_it_prints_the_scores_bands_private_link_and_credit(client, bank_version, tmp_path, caplog):
    result = submitted_result(bank_version, value=mixed)
    response = client.get(pdf_url(result))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = one_line(poppler("pdftotext", response.content, tmp_path, "-layout"))
    reading = read_result(result)
    rows = [(OVERALL_LABEL, reading.overall, reading.likely, reading.band)] + [
        (d.name, d.score, d.likely, d.band) for d in reading.dimensions
    ]
    assert len({shown(score) for _, score, _, _ in rows}) > 1, "the answers should spread"
    for name, score, likely, band in rows:
        # The positions table: name, score, likely range and band on one line.
        assert likely is not None
        low, high = shown(likely[0]), shown(likely[1])
        assert re.search(
            rf"{re.escape(str(name))} +{shown(score)} +{low}–{high} "
            rf"+{re.escape(str(band.label))}\b",
            text,
        )
    link = "http://testserver" + reverse("taking:result_detail", args=[result.token])
    assert f"{link} " in text or text.endswith(link), "the page's address, not the PDF's"
    assert one_line(article.CREDIT) in text
    assert "refused" not in caplog.text, "the page asked for something it could not have"


def test_poppler_renders_every_page_with_the_chart_inside_it(client, bank_version, tmp_path):
    result = submitted_result(bank_version, value=leaning_leader)
    document = client.get(pdf_url(result)).content

    info = poppler("pdfinfo", document, tmp_path)
    assert re.search(r"Page size: +595.9\d? x 842.8\d? pts \(A4\)", info)
    count = int(found(r"Pages: +(\d+)", info).group(1))
    assert 1 <= count <= 4
    pdftoppm = [which("pdftoppm"), "-r", "30", "-png"]
    subprocess.run([*pdftoppm, str(tmp_path / "result.pdf"), "p"], cwd=tmp_path, check=True)
    rendered = sorted(tmp_path.glob("p-*.png"))
    assert len(rendered) == count
    assert all(path.stat().st_size > 1000 for path in rendered)
    assert_chart_inside_the_page(document, read_result(result).figure, tmp_path)


def test_the_chart_is_drawn_as_vectors(client, bank_version, tmp_path):
    """No picture in the PDF: its chart is plotly.js's SVG, as on the page."""
    result = submitted_result(bank_version)
    listing = poppler("pdfimages", client.get(pdf_url(result)).content, tmp_path, "-list")
    assert len(listing.strip().splitlines()) == 2, listing  # the header only


def test_letter_paper_works_too(client, bank_version, tmp_path):
    # Scores of 100 put text at the chart's right edge, the first to be cut.
    result = submitted_result(bank_version, value=leaning_leader)
    response = client.get(pdf_url(result, "letter"))

    assert response.status_code == 200
    info = poppler("pdfinfo", response.content, tmp_path)
    assert re.search(r"Page size: +612 x 792 pts \(letter\)", info)
    text = one_line(poppler("pdftotext", response.content, tmp_path, "-layout"))
    reading = read_result(result)
    assert reading.likely is not None
    low, high = (shown(end) for end in reading.likely)
    assert re.search(
        rf"{OVERALL_LABEL} +{shown(reading.overall)} +{low}–{high} +{reading.band.label}", text
    )
    assert_chart_inside_the_page(response.content, reading.figure, tmp_path)


def balanced(item) -> int:
    """Middle of the scale, and readable: the same answer throughout would
    be shown as unclear, a shorter report."""
    return 2 if item.pk % 2 else 4


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("answers", [mixed, leaning_leader, balanced])
def test_the_report_fills_its_pages_without_large_gaps(
    client, bank_version, tmp_path, paper, answers
):
    """The issue: four pages, blank bands of up to a fifth of a page where the
    chart or table did not fit, and a last page mostly blank. Now no blank
    band over 15% of a page but after the report's end, and the last page at
    least 30% used; the chart whole, the private link and the credit printed."""
    result = submitted_result(bank_version, value=answers)
    document = client.get(pdf_url(result, paper)).content

    fills = assert_pages_well_filled(document, tmp_path, f"{answers.__name__} on {paper}")
    # Four pages before the print style sheet was fixed, the last one nearly empty.
    assert len(fills) <= 3, [str(fill) for fill in fills]
    text = one_line(poppler("pdftotext", document, tmp_path))
    link = "http://testserver" + reverse("taking:result_detail", args=[result.token])
    assert f"Your private link: {link}" in text
    assert one_line(article.CREDIT) in text
    assert_chart_inside_the_page(document, read_result(result).figure, tmp_path)


def test_a4_is_the_default_and_other_paper_is_refused(client, bank_version, tmp_path):
    result = submitted_result(bank_version)
    info = poppler("pdfinfo", client.get(pdf_url(result, "A4")).content, tmp_path)
    assert "(A4)" in info

    response = client.get(pdf_url(result, "legal"))
    assert response.status_code == 400
    assert "A4 or Letter" in response.text


def test_it_prints_with_collectstatics_hashed_names_as_in_the_docker_image(
    client, bank_version, settings, tmp_path
):
    """Production pages name /static/ files by their hash, which only the
    storage knows; the PDF's page must still get its scripts and styles."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    result = submitted_result(bank_version, value=leaning_leader)
    page = client.get(reverse("taking:result_detail", args=[result.token])).text
    assert re.search(r'src="/static/js/charts\.[0-9a-f]{12}\.js"', page)

    response = client.get(pdf_url(result))
    assert response.status_code == 200
    assert_chart_inside_the_page(response.content, read_result(result).figure, tmp_path)


def test_it_is_a_private_download_named_by_the_day_with_the_pages_headers(client, bank_version):
    result = submitted_result(bank_version)
    day = result.created_at.date().isoformat()
    page = client.get(reverse("taking:result_detail", args=[result.token]))
    response = client.get(pdf_url(result))

    assert (
        response["Content-Disposition"]
        == f'attachment; filename="seller-leader-spectrum-result-{day}.pdf"'
    )
    assert response["Cache-Control"] == page["Cache-Control"] == "private, no-store"
    for header in (
        "X-Robots-Tag",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert response[header] == page[header], header
    assert "Content-Security-Policy" in response


# --- Who may have it -------------------------------------------------------------


def test_whoever_may_read_the_page_may_download_its_pdf_and_nobody_else(
    bank_version, participant, outsider, settings
):
    # Access is decided before any printing: no browser is needed here.
    settings.PDF_CHROMIUM_PATH = "/nonexistent/chromium"
    own = submitted_result(bank_version, user=participant)
    anonymous = submitted_result(bank_version)
    wrong = own.token[:-1] + ("x" if own.token[-1] != "x" else "y")
    owner, stranger, nobody = Client(), Client(), Client()
    owner.force_login(participant)
    stranger.force_login(outsider)

    for client in (owner, stranger, nobody):
        for token in (own.token, anonymous.token, wrong, "nothing"):
            page = client.get(reverse("taking:result_detail", args=[token])).status_code
            download = client.get(reverse("taking:result_pdf", args=[token])).status_code
            # 503 here only because this server has no Chromium: past the access check.
            assert (page, download) in {(200, 503), (404, 404)}, (client, token)
    assert nobody.get(reverse("taking:result_pdf", args=[wrong])).status_code == 404


# --- When it cannot be made -------------------------------------------------------


def test_without_chromium_it_says_so_and_points_to_print(client, bank_version, settings, caplog):
    settings.PDF_CHROMIUM_PATH = "/nonexistent/chromium"
    result = submitted_result(bank_version)
    response = client.get(pdf_url(result))

    assert response.status_code == 503
    assert "The PDF is not available on this server" in response.text
    assert "Print, then Save as PDF" in one_line(response.text)
    assert reverse("taking:result_detail", args=[result.token]) in response.text
    assert "Retry-After" not in response
    assert "no-store" in response["Cache-Control"]
    assert "Chromium is not at /nonexistent/chromium" in caplog.text


def test_a_pdf_that_takes_too_long_is_a_503_to_try_again(client, bank_version, monkeypatch, caplog):
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 0.01)
    result = submitted_result(bank_version)
    response = client.get(pdf_url(result))

    assert response.status_code == 503
    assert "could not be made just now" in response.text
    assert "Print, then Save as PDF" in one_line(response.text)
    assert response["Retry-After"] == "60"
    assert "PDF not ready after" in caplog.text


def test_downloads_are_limited_per_client(client, bank_version, settings, monkeypatch):
    settings.PDF_CHROMIUM_PATH = "/nonexistent/chromium"  # the count comes first
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pdf-client": 2}
    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_000.0)
    result = submitted_result(bank_version)

    for _ in range(2):
        assert client.get(pdf_url(result)).status_code == 503
    response = client.get(pdf_url(result))
    assert response.status_code == 429
    assert "Save as PDF" in response.text
    assert int(response["Retry-After"]) > 0
    # Another client still gets its own.
    other = client.get(pdf_url(result), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 503


# --- The printer ----------------------------------------------------------------

PLAIN = "<!doctype html><title>t</title><p>{}</p>"


def test_threads_asking_at_once_each_get_their_own_pdf(tmp_path):
    """A threaded server (runserver, the live server) asks from many threads;
    the one browser thread prints for each in turn."""
    documents: dict[int, bytes] = {}

    def ask(number: int) -> None:
        documents[number] = pdf.render_pdf(
            PLAIN.format(f"document {number}"), url=f"http://testserver/{number}/"
        )

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for number in range(3):
        assert f"document {number}" in poppler("pdftotext", documents[number], tmp_path)


def test_the_browser_is_kept_between_pdfs_and_closed_at_exit(monkeypatch):
    starts = []

    def counted():
        starts.append(1)
        return pdf_sync_playwright()

    pdf_sync_playwright = pdf.sync_playwright
    monkeypatch.setattr(pdf, "sync_playwright", counted)
    printer = pdf._Printer()
    soon = time.monotonic() + 30
    jobs = [
        pdf._Job(html=PLAIN.format(n), url="http://testserver/", paper=pdf.A4, deadline=soon)
        for n in range(2)
    ]
    for job in jobs:
        printer.submit(job)
    assert all(job.future.result(30).startswith(b"%PDF-") for job in jobs)
    assert len(starts) == 1, "one browser for both"
    thread = printer._thread
    assert thread is not None and thread.is_alive()

    printer.close()
    assert not thread.is_alive()


def test_a_stuck_browser_is_left_behind_and_the_next_pdf_gets_a_new_one(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())
    release, stuck_threads = threading.Event(), []
    real_print = pdf._Chromium.print

    def print_or_hang(self, job):
        if "hang" in job.html:
            stuck_threads.append(threading.current_thread())
            release.wait(30)
            return b""
        return real_print(self, job)

    monkeypatch.setattr(pdf._Chromium, "print", print_or_hang)
    with pytest.raises(pdf.PdfTimeout):
        pdf.render_pdf(PLAIN.format("hang"), url="http://testserver/", timeout=0.5)

    document = pdf.render_pdf(PLAIN.format("next one"), url="http://testserver/")
    assert "next one" in poppler("pdftotext", document, tmp_path)
    release.set()
    stuck_threads[0].join(10)
    assert not stuck_threads[0].is_alive(), "the stuck thread ends once it can"
    pdf._printer.close()


def test_the_page_reaches_nothing_but_its_static_files(caplog, tmp_path):
    html = (
        '<!doctype html><link rel="stylesheet" href="/static/css/site.css">'
        '<link rel="stylesheet" href="/admin/">'
        '<header class="site-header">hidden</header><p>shown</p>'
    )
    document = pdf.render_pdf(html, url="http://testserver/results/x/")
    text = poppler("pdftotext", document, tmp_path)
    assert "shown" in text
    assert "hidden" not in text, "site.css came from the static files"
    assert "http://testserver/admin/: refused" in caplog.text


def test_the_page_gets_static_files_and_nothing_else(settings):
    site_css = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
    assert pdf_page.static_file("css/site.css") == site_css.read_bytes()
    assert pdf_page.static_file("vendor/plotly/plotly-basic.min.js")
    assert pdf_page.static_file("../config/settings.py") is None
    assert pdf_page.static_file("/etc/passwd") is None
    assert pdf_page.static_file("css/none.css") is None


def test_a_burst_is_refused_at_once_rather_than_queued(monkeypatch):
    """The hostile review's burst: fifteen PDFs at once from one client held
    server threads for 20 s and gave another client a 503 after 19 s. A
    client now waits for one PDF at a time, and a process queues at most
    MAX_PENDING; the rest are refused at once (PdfBusy)."""
    printer = pdf._Printer()
    monkeypatch.setattr(pdf, "_printer", printer)
    started = threading.Event()
    release = threading.Event()

    def slow_print(self, job):
        started.set()
        release.wait(10)
        return b"%PDF-1.7 slow"

    monkeypatch.setattr(pdf._Chromium, "print", slow_print)
    monkeypatch.setattr(pdf, "chromium_available", lambda: True)
    first = threading.Thread(
        target=pdf.render_pdf, args=(PLAIN.format("1"),), kwargs={"url": "http://t/", "client": "a"}
    )
    first.start()
    assert started.wait(10)
    try:
        with pytest.raises(pdf.PdfBusy):
            pdf.render_pdf(PLAIN.format("2"), url="http://t/", client="a")
        waiting = [
            threading.Thread(
                target=pdf.render_pdf,
                args=(PLAIN.format(name),),
                kwargs={"url": "http://t/", "client": name},
            )
            for name in ("b", "c")
        ]
        for thread in waiting:
            thread.start()
        time.sleep(0.2)
        began = time.monotonic()
        with pytest.raises(pdf.PdfBusy):
            pdf.render_pdf(PLAIN.format("4"), url="http://t/", client="d")
        assert time.monotonic() - began < 1
    finally:
        release.set()
        first.join(10)
        for thread in waiting:
            thread.join(10)
        printer.close()


def test_a_busy_printer_answers_503_with_a_short_retry(client, bank_version, monkeypatch):
    result = submitted_result(bank_version)

    def busy(*args, **kwargs):
        raise pdf.PdfBusy("busy")

    monkeypatch.setattr(pdf, "render_pdf", busy)
    response = client.get(pdf_url(result))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The server is making other PDFs just now" in response.text
