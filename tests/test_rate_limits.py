"""Rate limits on the open join link, password reset and starting: refused
at exactly one past the limit with a 429 that says when to try again,
nothing stored or sent when refused, and one count for every worker."""

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse

from assessments.cohorts import services as cohort_services
from assessments.models import Attempt, OutboundEmail, Participant
from ratelimits import limits
from ratelimits.models import Counter

ROOT = Path(__file__).resolve().parent.parent
HOUR = 3600
# Twenty minutes into an hour: forty minutes are left of its window.
T0 = 1_800_000_000 + 20 * 60
on_postgresql = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
    reason="SQLite's test database lives in this process's memory",
)


@pytest.fixture
def clock(monkeypatch):
    """Time stands at T0 until a test moves it."""
    now = {"t": float(T0)}
    monkeypatch.setattr(limits, "clock", lambda: now["t"])
    return now


@pytest.fixture
def limited(settings, clock):
    """Small limits, so that tests reach them."""
    settings.RATE_LIMITS = {
        "join-email": 3,
        "join-client": 5,
        "reset-email": 3,
        "reset-client": 5,
        "start-client": 4,
    }
    return settings.RATE_LIMITS


@pytest.fixture
def join_url(cohort) -> str:
    cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    return reverse("links:join", args=[cohort.join_code])


def join(client: Client, url: str, cohort, email: str, address: str = "127.0.0.1"):
    team = cohort.teams.first()
    data = {"name": "Joan", "email": email, "team": team.pk}
    # The link goes out once the join commits: the task engine (at once, in tests) sends it.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, REMOTE_ADDR=address)


def assert_refused(response, what: str) -> None:
    assert response.status_code == 429
    assert what in response.text
    assert "Nothing was saved or sent this time" in response.text
    # The clock stands at T0, 40 minutes before the window closes.
    assert response["Retry-After"] == str(40 * 60)


# --- The open join link ----------------------------------------------------------


def test_it_sends_join_links_to_one_address_until_the_limit(client, cohort, join_url, limited):
    for _ in range(3):
        assert "Check your email" in join(client, join_url, cohort, "joan@example.com").text
    emails = OutboundEmail.objects.count()

    response = join(client, join_url, cohort, "joan@example.com")

    assert_refused(response, "Several links have already been sent to this email address")
    assert len(mail.outbox) == 3
    assert OutboundEmail.objects.count() == emails
    assert cohort.participants.count() == 1


def test_it_counts_an_address_however_it_is_capitalised(client, cohort, join_url, limited):
    for email in ("joan@example.com", "Joan@Example.com", "JOAN@EXAMPLE.COM"):
        assert join(client, join_url, cohort, email).status_code == 200
    assert join(client, join_url, cohort, " joan@example.COM ").status_code == 429


def test_it_limits_an_address_whichever_client_asks(client, cohort, join_url, limited):
    for number in range(3):
        join(client, join_url, cohort, "joan@example.com", address=f"10.0.0.{number}")
    response = join(client, join_url, cohort, "joan@example.com", address="10.0.0.99")
    assert_refused(response, "this email address")
    # Another address from the same clients is still served.
    assert join(client, join_url, cohort, "kim@example.com", address="10.0.0.99").status_code == 200


def test_it_limits_a_client_whichever_addresses_it_names(client, cohort, join_url, limited):
    for number in range(5):
        assert join(client, join_url, cohort, f"p{number}@example.com").status_code == 200

    response = join(client, join_url, cohort, "new@example.com")

    assert_refused(response, "Many join links have been asked for from your network")
    assert not Participant.objects.filter(email="new@example.com").exists()
    assert len(mail.outbox) == 5
    # Another client still gets its link, and the refused address was not
    # counted against its owner.
    for _ in range(3):
        assert join(client, join_url, cohort, "new@example.com", "10.9.9.9").status_code == 200


def test_it_counts_only_forms_that_would_send(client, cohort, join_url, limited):
    for _ in range(10):
        client.get(join_url)
        client.post(join_url, {"name": "Joan", "email": "not-an-address"})
    assert not Counter.objects.exists()
    assert join(client, join_url, cohort, "joan@example.com").status_code == 200


# --- Password reset --------------------------------------------------------------


def reset(client: Client, email: str, address: str = "127.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_it_sends_reset_links_to_one_address_until_the_limit(client, participant, limited):
    for number in range(3):
        assert reset(client, participant.email, f"10.0.0.{number}").status_code == 302
    assert len(mail.outbox) == 3

    response = reset(client, participant.email.upper(), "10.0.0.99")

    assert_refused(response, "Several password reset links have been asked for")
    assert len(mail.outbox) == 3


def test_it_refuses_unknown_addresses_alike(client, participant, limited):
    """The 429 comes at the same count whether or not an account has the
    address, so it tells nobody which addresses have one."""
    for _ in range(3):
        assert reset(client, "nobody@example.com").status_code == 302
    assert_refused(reset(client, "nobody@example.com"), "for this email address")
    assert mail.outbox == []


def test_it_limits_password_resets_per_client(client, participant, limited):
    for number in range(5):
        reset(client, f"p{number}@example.com")
    assert_refused(reset(client, participant.email), "from your network")
    assert mail.outbox == []
    assert reset(client, participant.email, "10.9.9.9").status_code == 302
    assert len(mail.outbox) == 1


# --- Starting --------------------------------------------------------------------


def start(client: Client, address: str = "127.0.0.1"):
    return client.post(reverse("taking:attempt_start"), REMOTE_ADDR=address)


def test_it_starts_attempts_from_one_client_until_the_limit(client, bank_version, limited):
    for _ in range(4):
        assert "/pages/1/" in start(client)["Location"]

    response = start(client)

    assert_refused(response, "Many assessments have been started from your network")
    assert Attempt.objects.count() == 4
    assert start(client, "10.9.9.9").status_code == 302
    assert Attempt.objects.count() == 5


# --- The window ------------------------------------------------------------------


def test_it_says_when_to_try_again(client, bank_version, limited):
    for _ in range(4):
        start(client)
    response = start(client)
    assert response["Retry-After"] == str(40 * 60)
    assert "try again in 40 minutes" in response.text


def test_it_opens_a_new_window_on_the_hour(client, bank_version, limited, clock):
    for _ in range(5):
        start(client)
    clock["t"] = T0 + 40 * 60 - 1  # the last second of the window
    response = start(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert "try again in a minute" in response.text

    clock["t"] = T0 + 40 * 60  # the next window
    assert start(client).status_code == 302
    assert Attempt.objects.count() == 5
    # The closed window's row went when the new one began.
    assert list(Counter.objects.values_list("hits", flat=True)) == [1]


def test_it_turns_a_limit_off_with_zero(client, bank_version, limited):
    limited["start-client"] = 0
    for _ in range(10):
        assert start(client).status_code == 302
    assert not Counter.objects.exists()


def test_it_stores_no_address_in_the_clear(client, cohort, join_url, limited):
    join(client, join_url, cohort, "joan@example.com", address="10.1.2.3")
    for row in Counter.objects.values("scope", "digest"):
        assert "joan" not in row["digest"] and "10.1.2.3" not in row["digest"]
        assert len(row["digest"]) == 64


# --- One count for every worker --------------------------------------------------


def _hit_in_a_thread(scope: str, value: str) -> limits.Refusal | None:
    """A hit on a connection of its own, as another worker would make."""
    outcome = []

    def run() -> None:
        try:
            outcome.append(limits.hit(scope, value))
        finally:
            connection.close()
            # Django ignores close() on an in-memory SQLite database, lest the
            # last connection take the database with it. This thread's is not
            # the last, and left open it is a ResourceWarning when collected.
            if connection.connection is not None:
                connection.connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]


@pytest.mark.django_db(transaction=True)
def test_it_shares_the_count_between_connections(limited):
    for _ in range(2):
        assert limits.hit("start-client", "10.0.0.1") is None
    for _ in range(2):
        assert _hit_in_a_thread("start-client", "10.0.0.1") is None
    refusal = limits.Refusal(scope="start-client", limit=4, retry_after=40 * 60)
    assert _hit_in_a_thread("start-client", "10.0.0.1") == refusal
    assert limits.hit("start-client", "10.0.0.1") == refusal
    assert Counter.objects.get().hits == 6


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_shares_the_count_with_another_process(settings, clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "start-client": 3}
    for _ in range(3):
        assert limits.hit("start-client", "10.0.0.1") is None
    name = settings.DATABASES["default"]["NAME"]
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "settings.RATE_LIMITS = {**settings.RATE_LIMITS, 'start-client': 3}; "
        "from ratelimits import limits; "
        f"print(limits.hit('start-client', '10.0.0.1', now={T0}))"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
    }
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "Refusal(scope='start-client', limit=3" in run.stdout
    assert Counter.objects.get().hits == 4


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_counts_exactly_when_workers_hit_at_once(limited):
    limited["start-client"] = 25
    refusals: list[object] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            refusals.extend(r for _ in range(5) if (r := limits.hit("start-client", "x")))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter.objects.get().hits == 40
    assert len(refusals) == 40 - 25


# --- Whom a request is counted against -----------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_x_forwarded_for_unless_a_proxy_is_trusted(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = 0
    assert limits.client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_it_counts_by_the_address_the_trusted_proxy_saw(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = 1
    # The client wrote the first entry itself; the proxy appended the second.
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.7")
    assert limits.client_address(request) == "203.0.113.7"
    # Not through the proxy: nothing forwarded to trust.
    assert limits.client_address(request_from("203.0.113.8")) == "203.0.113.8"


def test_it_counts_behind_two_proxies(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = 2
    request = request_from("10.0.0.3", "198.51.100.1, 203.0.113.7, 10.0.0.2")
    assert limits.client_address(request) == "203.0.113.7"


def test_it_counts_ipv6_clients_by_their_64_block(settings):
    settings.RATE_LIMIT_TRUSTED_PROXIES = 0
    one = limits.client_address(request_from("2001:db8:1:2::1"))
    other = limits.client_address(request_from("2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"
    assert limits.client_address(request_from("::ffff:203.0.113.7")) == "203.0.113.7"


# --- Configuration ---------------------------------------------------------------


def _settings_in_a_fresh_process(**environ: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.RATE_LIMITS, settings.RATE_LIMIT_TRUSTED_PROXIES)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_it_has_the_defaults_the_readme_states():
    assert _settings_in_a_fresh_process() == (
        "{'join-email': 3, 'join-client': 60, 'reset-email': 3, 'reset-client': 20, "
        "'pdf-client': 120, 'start-client': 300} 0"
    )
    behind_proxy = _settings_in_a_fresh_process(
        DJANGO_BEHIND_TLS_PROXY="true", DJANGO_RATE_START_PER_CLIENT="1000"
    )
    assert behind_proxy.endswith("'start-client': 1000} 1")
