"""Counting requests in fixed one-hour windows, and the page that refuses them.

Each count is one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on the
database every server already shares (PostgreSQL, or SQLite on one machine),
so the count is exact even when several workers take requests at the same
moment: the row lock orders them. A cache's ``incr`` would not be: Django's
database cache reads and then writes, and LocMemCache is per process.

Windows are aligned to the clock (every hour on the hour), which keeps the
arithmetic to one integer division; the price is that a sender may get up to
twice a limit across a window's edge, which is still a bound.
"""

import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from .models import Counter

WINDOW_SECONDS = 3600

# Tests replace it to move time on.
clock = time.time


@dataclass(frozen=True)
class Refusal:
    scope: str
    limit: int
    retry_after: int  # seconds until the window closes, at least 1


def _digest(scope: str, value: str) -> str:
    # Keyed, so the table cannot be read back into addresses by hashing a
    # list of candidates.
    message = f"{scope}\0{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _count(scope: str, digest: str, window_end: int) -> int:
    table = connection.ops.quote_name(Counter._meta.db_table)
    # The table name is the model's own, not input; values are parameters.
    sql = (
        f"INSERT INTO {table} (scope, digest, window_end, hits) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (scope, digest, window_end) DO UPDATE SET hits = {table}.hits + 1 "
        "RETURNING hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, digest, window_end])
        return cursor.fetchone()[0]


def hit(scope: str, value: str, *, now: float | None = None) -> Refusal | None:
    """Count one request of ``scope`` from ``value``; a Refusal once the
    count passes the limit in ``settings.RATE_LIMITS`` (0 means no limit).

    A refused request counts too, so retrying in a loop does not help.
    """
    limit = settings.RATE_LIMITS[scope]
    if not limit:
        return None
    now = clock() if now is None else now
    window_end = (int(now) // WINDOW_SECONDS + 1) * WINDOW_SECONDS
    hits = _count(scope, _digest(scope, value), window_end)
    if hits == 1:
        # A new window began for this sender: a good moment to drop every
        # window that has closed, so the table stays the size of one hour.
        Counter.objects.filter(window_end__lte=int(now)).delete()
    if hits <= limit:
        return None
    return Refusal(scope=scope, limit=limit, retry_after=max(1, math.ceil(window_end - now)))


def email_key(email: str) -> str:
    """One counter per mailbox, however its address is capitalised."""
    return email.strip().lower()


def client_address(request: HttpRequest) -> str:
    """The address to count a client by.

    REMOTE_ADDR, unless settings.RATE_LIMIT_TRUSTED_PROXIES says that many
    proxies of ours stand in front: then the address the outermost of them
    saw, counted from the right of X-Forwarded-For, since anything further
    left was written by the client and proves nothing. IPv6 counts by /64,
    the block one subscriber is usually given.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.RATE_LIMIT_TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _wait(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return gettext("a minute")
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def too_many_requests(request: HttpRequest, refusal: Refusal, message: str) -> HttpResponse:
    """429 with what happened, when to try again, and Retry-After for clients."""
    context = {"message": message, "wait": _wait(refusal.retry_after)}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response
