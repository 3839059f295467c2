from django.db import models


class Counter(models.Model):
    """Requests of one kind from one sender in one fixed window.

    ``digest`` is a keyed hash of the email address or client address, so
    this table holds no one's address in the clear; rows are deleted once
    their window has passed.
    """

    scope = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    window_end = models.BigIntegerField(help_text="Unix time at which the window closes.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # The upsert in limits.hit() counts against this constraint.
            models.UniqueConstraint(
                fields=["scope", "digest", "window_end"], name="ratelimits_counter_unique"
            )
        ]
        indexes = [models.Index(fields=["window_end"], name="ratelimits_counter_end")]

    def __str__(self) -> str:
        return f"{self.scope} {self.digest[:8]}: {self.hits}"
