"""The languages the product speaks, and which one a page is in."""

from django.conf import settings
from django.utils import translation


def site_languages() -> list[str]:
    """Every language the product speaks, the source language first: what a
    new bank version offers unless HR leaves one out."""
    return [code for code, _name in settings.LANGUAGES]


def organisation_language() -> str:
    return settings.LANGUAGE_CODE


def current_language() -> str:
    """The active language's code without its region ("de" for "de-ch")."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def language_name(code: str) -> str:
    """A language's name in the active language ("German", "Deutsch"), for
    sentences and lists; an empty code (the organisation's) has none, and a
    code Django does not know is its own name."""
    if not code:
        return ""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_label(code: str) -> str:
    """A language by its own name ("Deutsch"), as a language picker or the
    switcher names it, for a reader who may not read the page's."""
    try:
        return str(translation.get_language_info(code)["name_local"])
    except KeyError:
        return code
