"""Single sign-on for staff, end to end against a real OpenID Connect
provider process (the npm package oidc-provider, tests/sso_provider.py):
HR admins and managers get in; a wrong audience, an expired ID token, an
unverified address, someone unknown or without a role are refused, and no
account is made for anyone."""

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import AuditEvent
from tests.cast import make_user
from tests.sso_provider import (
    PROVIDER_NAME,
    Provider,
    back_to_site,
    running_provider,
    sign_in,
    start_url,
)

SSO_BACKEND = "assessments.accounts.backends.SingleSignOnBackend"


@pytest.fixture
def provider(settings, db) -> Provider:
    running = running_provider()
    for name, value in running.settings().items():
        setattr(settings, name, value)
    return running


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return None if user_id is None else get_user_model().objects.get(pk=user_id)


def as_staff(client: Client, user: User, **claims):
    return sign_in(client, sub=f"sub-{user.pk}", email=user.email, **claims)


def assert_refused(response, client: Client, heading: str) -> None:
    assert response.status_code == 403
    assert heading in response.content.decode()
    assert signed_in_user(client) is None


# --- Staff get in ----------------------------------------------------------------


def test_an_hr_admin_signs_in_and_lands_on_the_hr_area(client, provider, hr_admin):
    response = as_staff(client, hr_admin)

    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:list")
    assert signed_in_user(client) == hr_admin
    assert client.session[BACKEND_SESSION_KEY] == SSO_BACKEND
    # Staff read other people's data: the same short session as by password.
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE
    assert client.get(reverse("cohorts:list")).status_code == 200


def test_a_manager_signs_in_and_lands_on_the_dashboards(client, provider, manager):
    response = as_staff(client, manager)

    assert response["Location"] == reverse("dashboards:index")
    assert signed_in_user(client) == manager
    assert client.get(reverse("dashboards:index")).status_code == 200


def test_a_superuser_signs_in(client, provider):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x-pass-123")
    as_staff(client, root)
    assert signed_in_user(client) == root


def test_the_page_asked_for_comes_after_signing_in(client, provider, hr_admin):
    response = sign_in(
        client, sub="sub-hannah", email=hr_admin.email, next_url=reverse("banks:list")
    )
    assert response["Location"] == reverse("banks:list")


def test_a_next_address_on_another_site_is_ignored(client, provider, hr_admin):
    response = sign_in(
        client, sub="sub-hannah", email=hr_admin.email, next_url="https://evil.example.org/"
    )
    assert response["Location"] == reverse("cohorts:list")


def test_the_address_may_come_in_the_id_token_itself(client, provider, manager):
    """Google and Entra ID put it there; oidc-provider, by default, only in
    userinfo, which the other tests use."""
    as_staff(client, manager, token="claims-in-id-token")
    assert signed_in_user(client) == manager


def test_the_address_is_matched_whatever_its_case(client, provider, hr_admin):
    sign_in(client, sub="sub-hannah", email=hr_admin.email.upper())
    assert signed_in_user(client) == hr_admin


def test_a_sign_in_is_recorded_in_the_audit_log(client, provider, hr_admin):
    before = AuditEvent.objects.count()
    as_staff(client, hr_admin)
    event = AuditEvent.objects.order_by("pk")[before:].get()
    assert (event.action, event.actor_id, event.target) == (
        AuditEvent.Action.STAFF_SIGNED_IN,
        hr_admin.pk,
        f"user:{hr_admin.pk}",
    )


def test_a_signed_in_staff_member_is_sent_on_without_a_new_sign_in(client, provider, hr_admin):
    client.force_login(hr_admin)
    response = client.get(start_url(""))
    assert response["Location"] == reverse("cohorts:list")


# --- Tokens that are not ours, or too old ----------------------------------------


def test_an_id_token_for_another_application_is_refused(client, provider, hr_admin):
    """Signed by the provider, with every claim but the audience ours (azp
    included, so only the audience check can catch it)."""
    response = as_staff(client, hr_admin, token="wrong-audience")
    assert_refused(response, client, "This sign-in could not be checked")


def test_an_expired_id_token_is_refused(client, provider, hr_admin):
    response = as_staff(client, hr_admin, token="expired")
    assert_refused(response, client, "This sign-in had expired")


def test_the_provider_answer_works_once_and_in_the_browser_that_asked(client, provider, hr_admin):
    start = client.get(start_url(""))
    browser = requests.Session()
    page = browser.get(start["Location"], timeout=10)
    answer = browser.post(
        page.url,
        data={"sub": "sub-hannah", "email": hr_admin.email, "email_verified": "true"},
        allow_redirects=False,
        timeout=10,
    )
    callback = back_to_site(browser, answer)

    # Another browser (an attacker who got the link) has no state for it.
    other = Client()
    assert_refused(other.get(callback), other, "This sign-in could not be checked")
    # The browser that asked gets in once; a replay is refused.
    assert client.get(callback).status_code == 302
    client.logout()
    assert_refused(client.get(callback), client, "This sign-in could not be checked")


def test_a_sign_in_cancelled_at_the_provider_is_refused(client, provider):
    client.get(start_url(""))
    response = client.get(reverse("accounts:sso_callback"), {"error": "access_denied"})
    assert_refused(response, client, "The sign-in was not completed")


# --- People the product does not know as staff -----------------------------------


def test_someone_unknown_is_refused_and_no_account_is_made(client, provider, hr_admin):
    accounts = get_user_model().objects.count()
    response = sign_in(client, sub="sub-stranger", email="stranger@example.com")
    assert_refused(response, client, "Single sign-on is for HR admins and managers")
    assert "stranger@example.com" in response.content.decode()
    assert get_user_model().objects.count() == accounts


def test_an_account_without_a_role_is_refused(client, provider, participant):
    response = sign_in(client, sub="sub-alice", email=participant.email)
    assert_refused(response, client, "Single sign-on is for HR admins and managers")
    # Roles are never taken from the provider: nothing was granted.
    participant.refresh_from_db()
    assert not participant.groups.exists()


def test_a_deactivated_staff_account_is_refused(client, provider, hr_admin):
    hr_admin.is_active = False
    hr_admin.save()
    response = as_staff(client, hr_admin)
    assert_refused(response, client, "Single sign-on is for HR admins and managers")


@pytest.mark.parametrize("verified", ["false", ""])
def test_an_address_the_provider_has_not_confirmed_is_refused(client, provider, hr_admin, verified):
    response = as_staff(client, hr_admin, email_verified=verified)
    assert_refused(response, client, "Your email address is not confirmed")


def test_a_sign_in_without_an_address_is_refused(client, provider, hr_admin):
    response = sign_in(client, sub="sub-hannah", email=None)
    assert_refused(response, client, "No email address came with this sign-in")


def test_two_staff_accounts_with_one_address_are_refused(client, provider, hr_admin):
    other = make_user("hannah2", "manager")
    other.email = hr_admin.email
    other.save()
    response = as_staff(client, hr_admin)
    assert_refused(response, client, "More than one account has this address")


def test_a_participant_sharing_a_staff_address_does_not_stop_the_staff_member(
    client, provider, hr_admin
):
    """Anyone can sign up with any address: only staff accounts are matched."""
    get_user_model().objects.create_user("impostor", hr_admin.email, "x-pass-123")
    as_staff(client, hr_admin)
    assert signed_in_user(client) == hr_admin


# --- Set up or not, reachable or not ---------------------------------------------


def test_the_sign_in_page_offers_the_provider_when_set_up(client, provider):
    page = client.get(reverse("accounts:login"), {"next": "/hr/"}).content.decode()
    assert f"Sign in with {PROVIDER_NAME}" in page
    assert f'href="{reverse("accounts:sso_start")}?next=/hr/"' in page


def test_without_single_sign_on_nothing_of_it_shows(client, db):
    assert not settings.SSO_ENABLED
    assert "Sign in with" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


def test_a_provider_that_cannot_be_reached_gets_a_clear_503(client, provider, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard: nothing listens
    response = client.get(start_url(""))
    assert response.status_code == 503
    assert f"{PROVIDER_NAME} is not answering" in response.content.decode()
    assert client.get(reverse("accounts:sso_callback")).status_code == 503


def test_a_discovery_document_for_another_issuer_is_not_trusted(client, provider, settings):
    settings.OIDC_ISSUER = provider.issuer + "/"
    assert client.get(start_url("")).status_code == 503
