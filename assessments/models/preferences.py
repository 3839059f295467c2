"""What a signed-in person chose for how the site speaks to them."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zones this machine knows, sorted, without the legacy
    aliases (``US/Eastern``) nobody should pick from a list."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
        )
        + ["UTC"]
    )


def validate_time_zone(value: str) -> None:
    if value and value not in time_zone_names():
        raise ValidationError(
            "%(value)s is not a time zone this site knows.", params={"value": value}
        )


class Preference(models.Model):
    """A person's language and time zone, used on every page they read while
    signed in and in the emails the site sends them. Empty means "as the
    browser says" for the language and the organisation's time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'} {self.time_zone or '-'}"
