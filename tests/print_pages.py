"""How a printed report fills its pages, measured on poppler's rendering.

Each page is rendered in gray at a low resolution; a row of pixels is blank
when nothing darker than paper is in it. Inside the 15 mm margins (the page
number sits in the bottom one), a page's largest gap is its longest run of
blank rows: on every page but the last it runs to the bottom margin, so a
page left half empty shows as a large gap, while the last page is measured
only down to its last printed row and reports how much of it is used.
"""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DPI = 40
MARGIN_MM = 15  # site.css's @page margin
# Darker than this is ink (paper is 255). The chart's band stripes run its
# whole height and two are darker (gray 233 and 216), so no row inside a
# chart reads as blank.
INK = 235
# The limits: no gap taller than this share of a page, and a last
# page at least this full (or the report a page shorter).
LARGEST_GAP = 0.15
LAST_PAGE_USED = 0.30


@dataclass(frozen=True)
class PageFill:
    number: int
    largest_gap: float  # of the page's height
    used: float  # of the height inside the margins, down to the last printed row

    def __str__(self) -> str:
        return f"page {self.number}: largest gap {self.largest_gap:.0%}, used {self.used:.0%}"


def page_fills(document: bytes, tmp_path: Path) -> list[PageFill]:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    folder = tmp_path / "fills"
    folder.mkdir(exist_ok=True)
    (folder / "report.pdf").write_bytes(document)
    subprocess.run(
        [pdftoppm, "-gray", "-r", str(DPI), str(folder / "report.pdf"), str(folder / "page")],
        check=True,
    )
    rendered = sorted(folder.glob("page-*.pgm"), key=lambda path: int(path.stem.split("-")[-1]))
    fills = []
    for number, path in enumerate(rendered, start=1):
        width, height, pixels = _pgm(path.read_bytes())
        margin = round(MARGIN_MM / 25.4 * DPI)
        top, bottom = margin, height - margin
        inked = [y for y in range(top, bottom) if min(pixels[y * width : (y + 1) * width]) < INK]
        last = number == len(rendered)
        end = inked[-1] + 1 if last and inked else bottom
        edges = [top - 1, *(y for y in inked if y < end), end]
        gap = max(after - before - 1 for before, after in zip(edges, edges[1:], strict=False))
        used = (inked[-1] + 1 - top) / (bottom - top) if inked else 0.0
        fills.append(PageFill(number, gap / height, used))
    return fills


def _pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary PGM (P5) with 8-bit samples."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:  # magic, width, height, maximum
        while data[position : position + 1].isspace():
            position += 1
        start = position
        while not data[position : position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    magic, width, height, maximum = fields
    assert magic == b"P5" and maximum == b"255", fields
    # One whitespace byte ends the header; the pixels may start with any byte.
    return int(width), int(height), data[position + 1 :]


def assert_pages_well_filled(document: bytes, tmp_path: Path, label: str) -> list[PageFill]:
    fills = page_fills(document, tmp_path)
    report = f"{label}: " + "; ".join(str(fill) for fill in fills)
    for fill in fills:
        assert fill.largest_gap <= LARGEST_GAP, f"a gap over {LARGEST_GAP:.0%}. {report}"
    if len(fills) > 1:
        assert fills[-1].used >= LAST_PAGE_USED, f"the last page nearly empty. {report}"
    return fills
