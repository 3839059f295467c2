"""How long a result's PDF takes: the first (Chromium starts) and warm ones, A4 and Letter,
through the download view in-process; and the memory Chromium then holds. Needs Debian's
Chromium at PDF_CHROMIUM_PATH."""

import os
import statistics
import time
from pathlib import Path

from inproc import page_times
from report import Options, arguments
from sandbox import BenchError, sandbox

OPTIONS: Options = [("--runs", 10, "warm PDFs to time")]


def chromium_mb() -> float:
    """Proportional set size of this process's children and theirs (the driver, Chromium)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
    mine, kb = {os.getpid()}, 0
    for pid in sorted(parents):  # children have higher ids than their parents, mostly
        if parents[pid] in mine:
            mine.add(pid)
            rollup = Path(f"/proc/{pid}/smaps_rollup")
            lines = rollup.read_text().splitlines() if rollup.exists() else []
            kb += sum(int(line.split()[1]) for line in lines if line.startswith("Pss:"))
    return kb / 1024


def main() -> None:
    runs = arguments(__doc__, OPTIONS).runs
    with sandbox(None) as site:
        site.setup()
        from django.test import Client
        from django.urls import reverse

        from assessments.models import BankVersion
        from assessments.taking import pdf
        from tests.helpers import submitted_result

        if not pdf.chromium_available():
            raise BenchError(f"No Chromium at {pdf.chromium_path()}: apt-get install chromium")
        version = BankVersion.objects.current()
        assert version is not None
        result = submitted_result(  # a statement's five answers, or a scenario's responses
            version, value=lambda i: 1 + i.pk % (i.options.count() if i.is_scenario else 5)
        )
        url = reverse("taking:result_pdf", args=[result.token])
        began = time.perf_counter()
        if Client().get(url).status_code != 200:  # the first starts Chromium
            raise BenchError(f"{url} gave no PDF")
        first = (time.perf_counter() - began) * 1000
        a4, letter = page_times(Client(), url, runs), page_times(Client(), url + "?paper=letter", 5)
        print(f"PDF of a result: first {first:.0f} ms (Chromium starts)")
        print(f"  warm A4 median {statistics.median(a4):.0f} ms (min {min(a4):.0f}, {runs} runs)")
        print(f"  warm Letter median {statistics.median(letter):.0f} ms")
        print(f"  Chromium and its driver hold {chromium_mb():.0f} MB (PSS)")
        pdf._printer.close()


if __name__ == "__main__":
    main()
