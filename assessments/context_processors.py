from django.http import HttpRequest

from . import guidance


def article(request: HttpRequest) -> dict[str, str]:
    """The article's credit, shown in every page's footer."""
    return {
        "article_credit": guidance.CREDIT,
        "article_title": guidance.ARTICLE_TITLE,
        "article_author": guidance.ARTICLE_AUTHOR,
    }
