from django.http import HttpRequest

from assessments.content.article import ARTICLE_AUTHOR, ARTICLE_TITLE, credit
from assessments.roles import is_hr_admin, is_manager


def article(request: HttpRequest) -> dict[str, str]:
    """The article's credit, shown in every page's footer, in the page's language."""
    return {
        "article_credit": credit(),
        "article_title": ARTICLE_TITLE,
        "article_author": ARTICLE_AUTHOR,
    }


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which product areas the navigation offers; every view checks again itself."""
    user = getattr(request, "user", None)
    return {
        "is_hr_admin": bool(user and is_hr_admin(user)),
        "is_manager": bool(user and is_manager(user)),
    }
