"""The app container's health check: exit 0 when this container's gunicorn
answers GET /healthz/ with 200 (the database answers too), else 1.

Django answers 400 to a Host header that DJANGO_ALLOWED_HOSTS does not
allow, so the check sends one that it does, whatever form the setting takes:
``*`` allows any name, ``.example.org`` allows example.org and its
subdomains, ``[::1]`` is an address. Only the standard library, so that a
check every few seconds costs little.
"""

import os
import re
import sys
import urllib.error
import urllib.request

# Django's own pattern for a host it can accept (django.http.request).
_HOST = re.compile(r"[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\]")
# What settings.py allows outside production when the variable is unset.
DEVELOPMENT_HOSTS = "localhost,127.0.0.1,[::1]"


def host_header(allowed_hosts: str) -> str:
    """A Host header that a Django with these ALLOWED_HOSTS accepts."""
    for entry in (part.strip().lower() for part in allowed_hosts.split(",")):
        if entry == "*":
            return "localhost"
        # ".example.org" matches example.org itself as well as its subdomains.
        name = entry.removeprefix(".")
        if name and _HOST.fullmatch(name):
            return name
    raise SystemExit(f"DJANGO_ALLOWED_HOSTS names no host Django could accept: {allowed_hosts!r}")


def port(bind: str) -> int:
    """The TCP port of a gunicorn bind address such as 0.0.0.0:8000 or [::]:8000."""
    _, _, number = bind.rpartition(":")
    if not number.isdigit():
        raise SystemExit(f"GUNICORN_BIND must end in a TCP port for this check, not {bind!r}")
    return int(number)


def main() -> int:
    host = host_header(os.environ.get("DJANGO_ALLOWED_HOSTS") or DEVELOPMENT_HOSTS)
    url = f"http://127.0.0.1:{port(os.environ.get('GUNICORN_BIND') or '0.0.0.0:8000')}/healthz/"
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 (a fixed http URL)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        print(f"{url} (Host: {host}) did not answer: {error}")
        return 1
    print(f"{url} (Host: {host}): {status}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
