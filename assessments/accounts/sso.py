"""Single sign-on for staff through the organisation's OpenID Connect provider.

Authlib speaks the protocol: discovery, the authorization code flow with
PKCE, state and nonce, the token request, the ID token's signature against
the provider's published keys. This module adds what it leaves to us: the
ID token's issuer and audience (Authlib checks the audience only when told
to), and which account the person is.

Accounts are found by email address, never made: the provider says who
someone is, the product says what they may do. A verified address must
belong to exactly one active account that holds a staff role here
(superuser, HR admin, manager); anyone else is refused, and no account is
created. The provider's stable ``sub`` is not kept, since keeping it needs a
table: an address the organisation gives to someone new reaches the old
account, so roles must be taken away when people leave (docs/operations.md).
"""

import functools
import logging
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import ExpiredTokenError, JoseError

from assessments.roles import has_staff_role

logger = logging.getLogger(__name__)

BACKEND = "assessments.accounts.backends.SingleSignOnBackend"
# Where to go after signing in, kept in the session between the two legs.
SESSION_NEXT = "sso_next"
# Clocks of the provider and of this site may differ by this much.
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10


def enabled() -> bool:
    return bool(getattr(settings, "SSO_ENABLED", False))


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


class Unavailable(Exception):
    """The provider could not be asked, or answered nothing usable."""


class Refused(Exception):
    """The provider's answer signs nobody in. ``reason`` is one of REFUSALS."""

    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email


# reason -> (heading, what to do), shown with status 403; the text's
# %(provider)s and %(email)s are filled in when the page is shown.
REFUSALS = {
    "invalid": (
        _("This sign-in could not be checked"),
        _(
            "The answer from %(provider)s was not one this site can accept: it was meant for "
            "another application, was not signed as expected, or the sign-in was started in "
            "another tab or browser. Nobody was signed in. Start again from the sign-in page."
        ),
    ),
    "expired": (
        _("This sign-in had expired"),
        _(
            "The answer from %(provider)s had expired before it reached this site. Start again "
            "from the sign-in page. If it happens again, the clocks of this site and of "
            "%(provider)s may disagree: your IT team can check them."
        ),
    ),
    "cancelled": (
        _("The sign-in was not completed"),
        _("%(provider)s did not sign you in. Start again from the sign-in page."),
    ),
    "no_email": (
        _("No email address came with this sign-in"),
        _(
            "This site finds your account by the email address %(provider)s gives, and it gave "
            "none. Your IT team can release the email claim to this application."
        ),
    ),
    "unverified": (
        _("Your email address is not confirmed"),
        _(
            "%(provider)s did not confirm that %(email)s is yours, so this site cannot tell "
            "which account is yours. Your IT team can check how the address is confirmed."
        ),
    ),
    "no_role": (
        _("Single sign-on is for HR admins and managers"),
        _(
            "No HR admin or manager here has the address %(email)s. Roles are given in this "
            "site, not by %(provider)s: if you should have one, ask an HR admin to give your "
            "account the role, with %(email)s as its email address. People taking the "
            "assessment sign in with a username and password."
        ),
    ),
    "ambiguous": (
        _("More than one account has this address"),
        _(
            "Several HR admin or manager accounts here have the address %(email)s, so this "
            "site cannot tell which one is yours. Ask a superuser to give each its own address."
        ),
    ),
}
# Nobody learns from the page whether an account without a role exists.
REFUSALS["unknown"] = REFUSALS["no_role"]


@functools.cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str) -> DjangoOAuth2App:
    """One client per configuration, so that the provider's discovery
    document and keys are fetched once per process (Authlib fetches the keys
    again when a token names one it has not seen)."""
    oauth = OAuth()
    oauth.register(
        "sso",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )
    return oauth.create_client("sso")


def _ready_client() -> DjangoOAuth2App:
    client = _client(
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
    )
    try:
        metadata = client.load_server_metadata()
    except requests.RequestException as error:
        raise Unavailable(f"discovery failed: {error}") from error
    # OpenID Connect Discovery: the document must name the issuer it was
    # fetched for, and ID tokens are held to that same issuer below.
    if metadata.get("issuer") != settings.OIDC_ISSUER:
        raise Unavailable(
            f"the discovery document names the issuer {metadata.get('issuer')!r}, "
            f"not DJANGO_OIDC_ISSUER {settings.OIDC_ISSUER!r}"
        )
    return client


def authorization_redirect(request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """Send the browser to the provider; its state, nonce and PKCE verifier
    wait in the session for the way back."""
    client = _ready_client()
    return client.authorize_redirect(request, redirect_uri)


def verified_claims(request: HttpRequest) -> dict[str, Any]:
    """The claims of the provider's answer on the way back, once the ID
    token's signature, issuer, audience, expiry and nonce are checked."""
    client = _ready_client()
    claims_options = {
        "iss": {"essential": True, "value": settings.OIDC_ISSUER},
        "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
    }
    try:
        token = client.authorize_access_token(
            request, claims_options=claims_options, leeway=LEEWAY_SECONDS
        )
    except requests.RequestException as error:
        raise Unavailable(f"the token request failed: {error}") from error
    except ExpiredTokenError as error:
        raise Refused("expired") from error
    except OAuthError as error:
        # A state that is not this browser's, a code already used, or the
        # provider's own refusal (the person cancelled, say).
        raise Refused("cancelled" if error.error == "access_denied" else "invalid") from error
    except JoseError as error:
        raise Refused("invalid") from error
    if not token.get("userinfo"):
        # No ID token: an OAuth answer that says nothing about who this is.
        raise Refused("invalid")
    claims = dict(token["userinfo"])
    if "email" not in claims:
        # Many providers put the address in the userinfo answer rather than
        # the ID token; it must be about the same person.
        try:
            info = client.userinfo(token=token)
        except requests.RequestException as error:
            raise Unavailable(f"the userinfo request failed: {error}") from error
        if info.get("sub") != claims["sub"]:
            raise Refused("invalid")
        for name in ("email", settings.OIDC_EMAIL_VERIFIED_CLAIM):
            if name in info:
                claims[name] = info[name]
    return claims


def staff_account(claims: dict[str, Any]) -> User:
    """The one active staff account with the verified address the claims
    give; Refused for anyone else, with no account made."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise Refused("no_email")
    # Some providers send the flag as the string "true".
    if claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM) not in (True, "true"):
        raise Refused("unverified", email)
    accounts = list(get_user_model().objects.filter(email__iexact=email, is_active=True))
    staff = [account for account in accounts if has_staff_role(account)]
    if not staff:
        raise Refused("no_role" if accounts else "unknown", email)
    if len(staff) > 1:
        raise Refused("ambiguous", email)
    return staff[0]


def refusal_page(refusal: Refused) -> dict[str, str]:
    heading, text = REFUSALS[refusal.reason]
    return {
        "heading": str(heading),
        "text": text % {"provider": provider_name(), "email": refusal.email},
    }
