"""The result page as a reader's browser prints it (Print, then Save as PDF):
on A4 and on Letter, no large blank gap on any page and a last page that is
not nearly empty; the chart whole, the private link and the credit printed.
tests/test_pdf.py checks the same of the server's PDF."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

from assessments.content import article
from tests.helpers import submitted_result
from tests.print_pages import assert_pages_well_filled

# What the browser does on Print: beforeprint (charts.js draws each chart at
# the printed width), then the print itself a frame or two later.
BEFORE_PRINT = """() => new Promise((done) => {
  window.dispatchEvent(new Event("beforeprint"));
  requestAnimationFrame(() => requestAnimationFrame(done));
})"""


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_result_fills_its_pages_without_large_gaps(
    page: Page, live_server, bank_version, tmp_path, paper
):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: apt-get install poppler-utils"
    result = submitted_result(bank_version, value=lambda item: 1 + item.order % 5)
    page.goto(f"/results/{result.token}/")
    chart = page.locator("[data-figure=result-figure]")
    chart.scroll_into_view_if_needed()  # plotly.js is fetched once a chart is in view
    expect(chart).to_have_attribute("data-drawn", "true")

    page.emulate_media(media="print")
    page.evaluate(BEFORE_PRINT)
    document = page.pdf(format=paper)

    fills = assert_pages_well_filled(document, tmp_path, f"the browser's print on {paper}")
    # Four pages before the print style sheet was fixed, the last one nearly empty.
    assert len(fills) <= 3, [str(fill) for fill in fills]
    (tmp_path / "printed.pdf").write_bytes(document)
    text = subprocess.run(
        [pdftotext, str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"\s+", " ", text)
    assert f"Your private link: {live_server.url}/results/{result.token}/" in text
    assert re.sub(r"\s+", " ", article.CREDIT) in text
    # The chart, between its heading and the table's caption: its band names and scale.
    printed = text.split("Your positions side by side")[1].split("Your positions, from")[0]
    assert {"Seller-leaning", "Leader-leaning", "20", "80"} <= set(printed.split()), (
        "the chart is printed"
    )
