"""The wheel holds the whole app: built from the checkout, installed in a
fresh virtualenv outside it, it passes Django's checks, migrates, loads the
default bank and answers a request, with nothing read from the checkout.

The virtualenv borrows the locked dependencies from the project's own
(a .pth file), so the test needs no download but the build backend's; the
app itself comes from the wheel alone: the test runs from a folder outside
the checkout and checks that every module it imports is the installed one.
"""

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

REQUEST = """
import assessments, config, django
from django.test import Client
for module in (assessments, config):
    assert "site-packages" in module.__file__ and {root!r} not in module.__file__, module.__file__
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
home = Client().get("/")
assert home.status_code == 200, home.status_code
assert "Are you leading, or selling?" in home.content.decode()
print("home", home.status_code)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from what the Dockerfile's wheel stage copies, in a folder of its
    own, so that the build leaves nothing in the checkout."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("config", "assessments", "ratelimits", "templates", "static"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (found,) = out.glob("seller_leader_spectrum-*.whl")
    return found


def test_the_wheel_holds_every_module_template_static_file_and_the_bank(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "assessments/models/banks.py",
        "assessments/taking/views.py",
        "assessments/migrations/0001_initial.py",
        "assessments/management/commands/load_default_bank.py",
        "assessments/data/default_bank.json",
        "assessments/data/default_bank_v2.json",
        "assessments/locale/de/LC_MESSAGES/django.mo",
        "assessments/templates/base.html",
        "assessments/templates/assessments/result.html",
        "assessments/templates/registration/login.html",
        "assessments/static/css/site.css",
        "assessments/static/js/charts.js",
        "config/settings.py",
        "ratelimits/limits.py",
    ):
        assert required in names, required
    # Everything the checkout's packages hold, the wheel holds too, and the
    # top-level templates and static files inside the assessments package.
    for folder, inside in (
        ("assessments", "assessments"),
        ("config", "config"),
        ("ratelimits", "ratelimits"),
        ("templates", "assessments/templates"),
        ("static", "assessments/static"),
    ):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"{inside}/{path.relative_to(ROOT / folder).as_posix()}" in names, path


def test_installed_outside_the_checkout_it_checks_migrates_loads_and_answers(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as archive:  # what pip install does for a pure wheel
        archive.extractall(site)
    # The locked dependencies from the project's virtualenv, after the wheel's own.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "run"
    elsewhere.mkdir()
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_NODE_MODULES": str(ROOT / "node_modules"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_DEBUG": "true",
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(python), *args],
            cwd=elsewhere,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    admin = ["-m", "django"]
    assert "no issues" in run(*admin, "check")
    run(*admin, "migrate", "--no-input", "-v", "0")
    loaded = run(*admin, "load_default_bank")
    assert "Loaded Seller–Leader Spectrum v2" in loaded
    assert "home 200" in run("-c", REQUEST.format(root=str(ROOT)))
