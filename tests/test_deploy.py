"""The image, the compose file and their settings: gunicorn from the environment,
a health check that any allowed-hosts value passes, migrations as a one-shot
step, the app reachable only through the proxy, locked dependencies."""

import importlib.util
import os
import re
import runpy
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from django.http.request import split_domain_port, validate_host
from gunicorn.config import Config  # type: ignore[import-untyped]
from packaging.requirements import Requirement

from tests.gunicorn_server import gunicorn

ROOT = Path(__file__).resolve().parent.parent


def healthcheck_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "deploy" / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


healthcheck = healthcheck_module()


def gunicorn_settings(monkeypatch, **environ: str) -> dict:
    for name in list(os.environ):
        if name.startswith("GUNICORN_") or name == "DJANGO_LOG_FORMAT":
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("config.gunicorn")


def test_gunicorn_defaults_to_two_workers_per_cpu_and_json_logs(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert settings["workers"] == 2 * len(os.sched_getaffinity(0))
    assert (settings["threads"], settings["timeout"], settings["bind"]) == (1, 30, "0.0.0.0:8000")
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (1000, 100)
    formatters = settings["logconfig_dict"]["handlers"]
    assert formatters["access"]["formatter"] == "access_json"
    assert formatters["error"]["formatter"] == "json"


def test_gunicorn_takes_its_settings_from_the_environment(monkeypatch):
    settings = gunicorn_settings(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="90",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_BIND="[::]:9000",
        DJANGO_LOG_FORMAT="plain",
    )
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (3, 4, 90)
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (500, 50)
    assert settings["bind"] == "[::]:9000"
    assert settings["logconfig_dict"]["handlers"]["access"]["formatter"] == "access_plain"


def test_every_name_in_the_gunicorn_settings_is_one_gunicorn_knows_and_accepts(monkeypatch):
    settings = gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3")
    config = Config()
    ours = {k: v for k, v in settings.items() if not k.startswith("_") and k.islower()}
    ours = {k: v for k, v in ours.items() if not callable(v) and k != "os"}
    unknown = set(ours) - set(config.settings)
    assert not unknown, f"not gunicorn settings (a typo?): {unknown}"
    for name, value in ours.items():
        config.set(name, value)  # gunicorn's own validators
    assert config.workers == 3
    assert config.max_requests_jitter == 100


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GUNICORN_WORKERS", "0"),
        ("GUNICORN_WORKERS", "many"),
        ("GUNICORN_TIMEOUT", "-5"),
        ("GUNICORN_LOG_LEVEL", "loud"),
        ("DJANGO_LOG_FORMAT", "xml"),
    ],
)
def test_gunicorn_refuses_a_bad_value_and_names_it(monkeypatch, name, value):
    with pytest.raises(SystemExit, match=name):
        gunicorn_settings(monkeypatch, **{name: value})


@pytest.mark.parametrize(
    "allowed",
    [
        "*",
        ".example.org",
        "spectrum.example.org",
        "spectrum.example.org,localhost",
        "[::1]",
        "10.0.0.7",
        " Spectrum.Example.org , .example.org",
        "*.wrong-form.org,.example.org",
        healthcheck.DEVELOPMENT_HOSTS,
    ],
)
def test_the_health_checks_host_is_one_django_accepts(allowed):
    host = healthcheck.host_header(allowed)
    patterns = [part.strip().lower() for part in allowed.split(",") if part.strip()]
    domain, _ = split_domain_port(host)
    assert validate_host(domain, patterns), (host, patterns)


@pytest.mark.parametrize("allowed", ["", " , ", "*.example.org", "example.org:8000"])
def test_the_health_check_says_when_no_allowed_host_could_ever_match(allowed):
    with pytest.raises(SystemExit, match="DJANGO_ALLOWED_HOSTS names no host"):
        healthcheck.host_header(allowed)


@pytest.mark.parametrize(
    ("bind", "port"), [("0.0.0.0:8000", 8000), ("[::]:9000", 9000), ("127.0.0.1:1", 1)]
)
def test_the_health_check_finds_gunicorns_port(bind, port):
    assert healthcheck.port(bind) == port


def test_the_health_check_refuses_a_unix_socket():
    with pytest.raises(SystemExit, match="GUNICORN_BIND must end in a TCP port"):
        healthcheck.port("unix:/run/gunicorn.sock")


def run_healthcheck(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "healthcheck.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_health_check_passes_against_the_app_with_only_a_wildcard_allowed(tmp_path):
    with gunicorn(tmp_path, DJANGO_ALLOWED_HOSTS=".example.org") as server:
        passed = run_healthcheck(server.env)
        # The same app, asked with a host it does not allow, answers 400.
        refused = run_healthcheck(server.env | {"DJANGO_ALLOWED_HOSTS": "other.example.net"})
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "(Host: example.org): 200" in passed.stdout
    assert refused.returncode == 1
    assert ": 400" in refused.stdout


class Unavailable(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unavailable_server() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def test_the_health_check_fails_on_a_503_and_on_no_answer(unavailable_server):
    env = dict(os.environ, DJANGO_ALLOWED_HOSTS="localhost")
    answered = run_healthcheck(env | {"GUNICORN_BIND": f"0.0.0.0:{unavailable_server}"})
    assert answered.returncode == 1
    assert ": 503" in answered.stdout
    nobody = run_healthcheck(env | {"GUNICORN_BIND": "0.0.0.0:1"})
    assert nobody.returncode == 1
    assert "did not answer" in nobody.stdout


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_only_the_proxy_publishes_ports(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    assert "443:443" in compose["services"]["proxy"]["ports"]
    assert compose["services"]["app"]["expose"] == ["8000"]


def test_migrations_run_once_before_the_app_and_never_in_it(compose):
    services = compose["services"]
    migrate = " ".join(services["migrate"]["command"])
    assert "django-admin migrate" in migrate and "django-admin load_default_bank" in migrate
    assert services["migrate"]["restart"] == "no"
    assert services["app"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert "command" not in services["app"]
    image_command = re.search(r"^CMD (.+)$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert image_command is not None
    assert "migrate" not in image_command.group(1)
    assert "python:config.gunicorn" in image_command.group(1)


def test_the_apps_health_check_uses_the_host_proof_script_after_a_start_period(compose):
    check = compose["services"]["app"]["healthcheck"]
    assert check["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    assert check["start_period"]
    assert compose["services"]["proxy"]["depends_on"]["app"] == {"condition": "service_healthy"}


def test_the_database_reaches_the_app_as_parts_not_a_url(compose):
    environment = compose["x-app"]["environment"]
    assert environment["POSTGRES_HOST"] == "db"
    assert "POSTGRES_PASSWORD" in environment
    assert not any("DATABASE_URL" in str(value) for value in environment.values())
    assert "DATABASE_URL" not in environment


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def load_settings(environ: dict[str, str], code: str) -> subprocess.CompletedProcess:
    """Run ``code`` after Django has set up config.settings with only this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "POSTGRES_"))}
    env.pop("DATABASE_URL", None)
    env |= environ | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_example_environment_serves_localhost_behind_the_proxy():
    example = env_example() | {"DJANGO_SECRET_KEY": "k3y-" + "x7Qp9L2mZr8Vt4Nw6Ys1Bd5Hf0Jg3Kc" * 2}
    example["POSTGRES_HOST"] = "db"  # as compose sets it
    shown = (
        "from django.conf import settings as s; print(s.ALLOWED_HOSTS, "
        "s.SECURE_PROXY_SSL_HEADER, s.DEBUG, s.DATABASES['default']['HOST'], s.LOG_FORMAT)"
    )
    run = load_settings(example, shown)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "['localhost']",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "False",
        "db",
        "json",
    ]
    assert example["SITE_ADDRESS"] == "localhost"
    assert healthcheck.host_header(example["DJANGO_ALLOWED_HOSTS"]) == "localhost"


def test_the_examples_placeholder_secret_is_refused_in_production():
    run = load_settings(env_example(), "print('started')")
    assert run.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in run.stderr


def test_an_unknown_log_format_is_refused_with_its_name():
    run = load_settings({"DJANGO_LOG_FORMAT": "xml"}, "print('started')")
    assert run.returncode != 0
    assert "DJANGO_LOG_FORMAT must be json or plain, not 'xml'" in run.stderr


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", line):
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_every_dependency_is_locked_at_a_version_pyproject_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = locked()
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is missing from requirements.lock: regenerate it"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {line}"
        # A new extra brings packages of its own: check they are locked below.
        assert requirement.extras <= {"binary", "brotli"}, line
    assert "psycopg-binary" in pins and "brotli" in pins  # what those two extras bring


def test_the_lock_pins_every_package_with_hashes_and_the_image_requires_them():
    text = (ROOT / "requirements.lock").read_text()
    # One block per package: its pin, then its hashes, then the comment saying why.
    blocks = re.split(r"\n(?=[A-Za-z0-9._-]+==)", text)[1:]
    assert len(blocks) == len(locked()) > 10
    for block in blocks:
        assert "--hash=sha256:" in block, block.splitlines()[0]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, enough for these patterns: the last matching line wins."""
    result = False
    for pattern in patterns:
        negated, body = pattern.startswith("!"), pattern.removeprefix("!")
        body = body.removeprefix("**/")
        parts = Path(path).parts
        if any(Path(*parts[i:]).match(body) for i in range(len(parts))) or Path(path).match(body):
            result = not negated
    return result


def test_the_build_context_leaves_out_local_state():
    patterns = dockerignore_patterns()
    for path in [".venv", "node_modules", "db.sqlite3", ".git", ".env", ".mypy_cache",
                 "assessments/__pycache__", ".coverage", "staticfiles"]:  # fmt: skip
        assert ignored(path, patterns), path


def test_the_build_context_keeps_everything_the_dockerfile_copies():
    patterns = dockerignore_patterns()
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", (ROOT / "Dockerfile").read_text(), re.M)
    sources = [source for line in copied for source in line.split()]
    assert "requirements.lock" in sources and "deploy/healthcheck.py" in sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source, patterns), source
