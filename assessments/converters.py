"""Path converters for the secrets that make up the product's links,
registered once, when this module is first imported."""

from django.urls import register_converter


class TokenConverter:
    """A link's secret (result, invitation, join code, manager invitation), as
    ``secrets.token_urlsafe`` makes them: URL-safe base64, at most 64 long.

    Anything else is not found before it reaches a query: PostgreSQL refuses
    a NUL byte in text with an error (a 500), and nothing else could match.
    """

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")
