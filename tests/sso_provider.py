"""A real OpenID Connect provider for the single sign-on tests: the npm
package oidc-provider, run by tests/oidc_provider/provider.mjs as a process
on 127.0.0.1, started once per test session, whichever test asks first.

``sign_in`` plays a person's browser through the whole flow: Django's test
client for this site, ``requests`` for the provider, each following the
other's redirects, as a browser would.
"""

import atexit
import functools
import json
import os
import secrets
import select
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc_provider" / "provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
CLIENT_ID = "spectrum"
START_SECONDS = 20
PROVIDER_NAME = "Example Corp"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str

    def settings(self) -> dict[str, object]:
        """The site's settings for this provider, as the environment would set them."""
        return {
            "SSO_ENABLED": True,
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_SCOPES": "openid email profile",
            "OIDC_PROVIDER_NAME": PROVIDER_NAME,
            "OIDC_EMAIL_VERIFIED_CLAIM": "email_verified",
        }


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@functools.cache
def running_provider() -> Provider:
    """Start the provider (once) and wait for the line naming its issuer."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        pytest.fail(
            "The single sign-on tests run the npm package oidc-provider: they need Node.js "
            "and `npm ci` (bin/test runs it).",
            pytrace=False,
        )
    secret = secrets.token_urlsafe(32)
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (read if it fails to start)
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=ROOT,
        env={**os.environ, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": secret},
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    atexit.register(_stop, process)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
    line = process.stdout.readline() if ready else ""
    if not line:
        _stop(process)
        log.seek(0)
        pytest.fail(f"The OpenID Connect provider did not start:\n{log.read()}", pytrace=False)
    return Provider(issuer=json.loads(line)["issuer"], client_id=CLIENT_ID, client_secret=secret)


def sign_in(
    client: Client,
    *,
    sub: str,
    email: str | None,
    email_verified: str = "true",
    token: str = "valid",  # noqa: S107 (how the ID token comes out)
    name: str = "",
    next_url: str = "",
):
    """Press "Sign in with ..." on this site, sign in at the provider as the
    person these claims describe, and return this site's answer to the
    provider's redirect back. ``token`` says how the provider makes the ID
    token (tests/oidc_provider/provider.mjs)."""
    start = client.get(start_url(next_url))
    assert start.status_code == 302, start.content
    browser = requests.Session()
    page = browser.get(start["Location"], timeout=10)
    assert page.status_code == 200 and "/interaction/" in page.url, page.text
    answer = browser.post(
        page.url,
        data={
            "sub": sub,
            "email": email or "",
            "email_verified": email_verified,
            "name": name,
            "token": token,
        },
        allow_redirects=False,
        timeout=10,
    )
    return client.get(back_to_site(browser, answer))


def start_url(next_url: str) -> str:
    return "/accounts/sso/start/" + (f"?next={next_url}" if next_url else "")


def back_to_site(browser: requests.Session, answer: requests.Response) -> str:
    """Follow the provider's redirects until one leads back to this site."""
    for _ in range(10):
        assert answer.status_code in (302, 303), answer.text
        location = urljoin(answer.url, answer.headers["Location"])
        if urlsplit(location).hostname == "testserver":
            return location
        answer = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("The provider never sent the browser back.")
