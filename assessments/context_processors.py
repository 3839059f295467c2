import functools

from django.http import HttpRequest
from django.utils import timezone, translation

from assessments.content.article import ARTICLE_AUTHOR, ARTICLE_TITLE, credit
from assessments.languages import language_label, site_languages
from assessments.roles import is_hr_admin, is_manager


def article(request: HttpRequest) -> dict[str, str]:
    """The article's credit, shown in every page's footer, in the page's language."""
    return {
        "article_credit": credit(),
        "article_title": ARTICLE_TITLE,
        "article_author": ARTICLE_AUTHOR,
    }


@functools.cache
def _other_languages(current: str) -> tuple[tuple[str, str], ...]:
    """(code, name in that language) of each language but ``current``."""
    return tuple((code, language_label(code)) for code in site_languages() if code != current)


def languages(request: HttpRequest) -> dict[str, object]:
    """The page's language (for ``lang``) and time zone (cache keys of what shows
    times), and the switcher's buttons, one per other language, each named in its
    own language: worked out once per language, not on every page. Django's i18n
    and tz processors give the first two with what no template here reads."""
    language = translation.get_language()
    return {
        "LANGUAGE_CODE": language,
        "TIME_ZONE": timezone.get_current_timezone_name(),
        "switcher_languages": _other_languages(language),
    }


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which product areas the navigation offers; every view checks again itself."""
    user = getattr(request, "user", None)
    return {
        "is_hr_admin": bool(user and is_hr_admin(user)),
        "is_manager": bool(user and is_manager(user)),
    }
