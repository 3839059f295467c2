"""Password sign-in for staff, switched off (DJANGO_STAFF_PASSWORD_SIGN_IN):
staff are sent to single sign-on everywhere a password is taken, the
admin's sign-in and password reset included; participants keep their
passwords. The settings refuse a switch that would lock staff out."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import AuditEvent
from tests.cast import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_NAME = "Example Corp"
REFUSAL = f"HR admins and managers sign in with {PROVIDER_NAME}, not with a password"


@pytest.fixture
def sso_only(settings):
    """Single sign-on set up (no provider is asked in this file) and staff
    passwords off."""
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = "https://login.example.org"
    settings.OIDC_CLIENT_ID = "spectrum"
    settings.OIDC_CLIENT_SECRET = "secret"
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.STAFF_PASSWORD_SIGN_IN = False


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)


def sign_in(username: str, password: str = PASSWORD) -> tuple[Client, str]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize("role", ["hr_admin", "manager", "superuser"])
def test_a_staff_password_is_refused_with_a_pointer_to_single_sign_on(sso_only, request, role):
    user = request.getfixturevalue(role)
    client, page = sign_in(user.username)
    assert REFUSAL in page
    assert f"Sign in with {PROVIDER_NAME}" in page
    assert SESSION_KEY not in client.session


def test_the_refusal_is_recorded_as_a_failed_staff_sign_in(sso_only, hr_admin):
    before = AuditEvent.objects.count()
    sign_in(hr_admin.username)
    event = AuditEvent.objects.order_by("pk")[before:].get()
    assert event.action == AuditEvent.Action.STAFF_SIGN_IN_FAILED


def test_a_wrong_staff_password_says_only_that_it_is_wrong(sso_only, hr_admin):
    """Without the password, nobody learns that the account is staff."""
    _, page = sign_in(hr_admin.username, "not-the-password")
    assert REFUSAL not in page
    assert "Please enter a correct username and password" in page


def test_participants_keep_their_passwords(sso_only, participant):
    client, page = sign_in(participant.username)
    assert page == ""  # redirected
    assert client.session[SESSION_KEY] == str(participant.pk)


def test_staff_passwords_work_while_the_switch_is_on(settings, hr_admin):
    assert settings.STAFF_PASSWORD_SIGN_IN
    client, _ = sign_in(hr_admin.username)
    assert client.session[SESSION_KEY] == str(hr_admin.pk)


def test_the_sign_in_page_says_staff_use_single_sign_on_only(sso_only, client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Staff sign in this way only" in page


def test_the_admins_sign_in_refuses_a_superusers_password_too(sso_only, superuser):
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": superuser.username, "password": PASSWORD}
    )
    assert REFUSAL in response.content.decode()
    assert SESSION_KEY not in client.session


def test_no_reset_link_goes_to_staff(sso_only, client, hr_admin, participant):
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert f"HR admins and managers sign in with {PROVIDER_NAME}" in page
    for user in (hr_admin, participant):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})
        # The same answer for both, so it tells nobody who is staff.
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert [message.to for message in mail.outbox] == [[participant.email]]


def reset_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def test_a_reset_link_sent_before_the_switch_sets_no_staff_password(sso_only, hr_admin):
    client = Client()
    page = client.get(reset_link(hr_admin), follow=True)
    assert "This link no longer works" in page.content.decode()
    new_password = {"new_password1": "n3w-pass-phrase", "new_password2": "n3w-pass-phrase"}
    client.post(page.request["PATH_INFO"], new_password)
    hr_admin.refresh_from_db()
    assert hr_admin.check_password(PASSWORD)


def test_a_participants_reset_link_still_works(sso_only, participant):
    page = Client().get(reset_link(participant), follow=True).content.decode()
    assert "Choose a new password" in page


# --- The settings ----------------------------------------------------------------


def load_settings(**environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings; print(settings.SSO_ENABLED)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_staff_passwords_cannot_be_switched_off_without_single_sign_on():
    run = load_settings(DJANGO_STAFF_PASSWORD_SIGN_IN="false")
    assert run.returncode != 0
    assert "leaves staff no way in" in run.stderr


def test_single_sign_on_needs_its_issuer_client_and_secret():
    run = load_settings(DJANGO_OIDC_ISSUER="https://login.example.org")
    assert run.returncode != 0
    assert "DJANGO_OIDC_CLIENT_ID and DJANGO_OIDC_CLIENT_SECRET, all three" in run.stderr


def test_single_sign_on_comes_on_with_its_three_variables():
    run = load_settings(
        DJANGO_OIDC_ISSUER="https://login.example.org",
        DJANGO_OIDC_CLIENT_ID="spectrum",
        DJANGO_OIDC_CLIENT_SECRET="secret",
        DJANGO_STAFF_PASSWORD_SIGN_IN="false",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"
