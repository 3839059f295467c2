"""How long a result's PDF takes: the first (Chromium starts) and warm ones.

    .venv/bin/python bench/pdf.py [--runs 10]

A throw-away SQLite database in a temporary folder, the test settings (no
collectstatic needed), one submitted result, and the download view called
through Django's test Client, as a request would; plus the memory Chromium
holds once started. Needs Debian's Chromium at PDF_CHROMIUM_PATH.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def chromium_memory_mb() -> float:
    """Proportional set size of this process's descendants (the Playwright
    driver and Chromium's processes): shared pages counted once, not per process."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
    total_kb, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total_kb += sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total_kb / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm PDFs to time (default 10)")
    runs = parser.parse_args().runs

    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp(prefix="bench-pdf-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    # WhiteNoise looks for collectstatic's output, which the test settings do not use.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from assessments.taking import pdf
    from tests.helpers import submitted_result

    if not pdf.chromium_available():
        print(f"No Chromium at {pdf.chromium_path()}: apt-get install chromium", file=sys.stderr)
        return 1
    call_command("migrate", verbosity=0)
    call_command("load_default_bank", verbosity=0)
    from assessments.models import BankVersion

    result = submitted_result(BankVersion.objects.current(), value=lambda item: 1 + item.pk % 5)
    client = Client(HTTP_HOST="localhost")  # one of the development settings' hosts

    def one(paper: str) -> tuple[float, int]:
        url = reverse("taking:result_pdf", args=[result.token]) + f"?paper={paper}"
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed, len(response.content)

    first, size = one("a4")
    warm = [one("a4")[0] for _ in range(runs)]
    letter = [one("letter")[0] for _ in range(max(1, runs // 2))]
    print(f"PDF of one result ({size / 1024:.0f} KB), Chromium {pdf.chromium_path()}")
    print(f"  first (Chromium starts):   {first * 1000:7.0f} ms")
    print(
        f"  warm A4, {runs} runs:         median {statistics.median(warm) * 1000:5.0f} ms, "
        f"min {min(warm) * 1000:.0f}, max {max(warm) * 1000:.0f}"
    )
    print(
        f"  warm Letter, {len(letter)} runs:      median {statistics.median(letter) * 1000:5.0f} ms"
    )
    print(f"  Chromium and its driver hold {chromium_memory_mb():.0f} MB (PSS)")
    pdf._printer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
