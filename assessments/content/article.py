"""The article the product is built on: its credit line and the short
passages quoted verbatim, each shown with the credit.

Pure data: no database. The quotes stay the author's English words in every
language; a reader in another language gets our translation beside them,
marked as a translation (``Quote.translation``), and the credit line in
their language (``credit``), with the article's title left in English.
"""

from django.utils.translation import get_language, gettext


def gettext_noop(message: str) -> str:
    """Marks ``message`` for makemessages and returns it as it is, like
    Django's, which reads the settings and so could not run at import."""
    return message


ARTICLE_TITLE = "Sales And Leadership: The Differences That Matter"
ARTICLE_AUTHOR = "Nick Niesen"
ARTICLE_YEAR = 2010
# The article prints "2006 © The Filson Leadership Group, Inc."; written the
# usual way round, so that it cannot be read as a second date for the article.
ARTICLE_COPYRIGHT = "© 2006 The Filson Leadership Group, Inc."
ARTICLE_LANGUAGE = "en"
# The credit in the source language; ``credit()`` gives it in the reader's.
CREDIT = (
    f'Based on "{ARTICLE_TITLE}" by {ARTICLE_AUTHOR} ({ARTICLE_YEAR}; {ARTICLE_COPYRIGHT}). '
    "Quoted lines are the author's words; the rest is our paraphrase."
)


def credit() -> str:
    """The credit line in the active language: the same words as CREDIT in
    English; the title, author and copyright are never translated."""
    return gettext(
        'Based on "%(title)s" by %(author)s (%(year)s; %(copyright)s). '
        "Quoted lines are the author's words; the rest is our paraphrase."
    ) % {
        "title": ARTICLE_TITLE,
        "author": ARTICLE_AUTHOR,
        "year": ARTICLE_YEAR,
        "copyright": ARTICLE_COPYRIGHT,
    }


# Key -> a short verbatim quote from the article (one sentence or less, at most 35 words),
# copied exactly, character for character. gettext_noop leaves each the plain English
# string it is and marks it, so that the catalogues carry a translation of it to show
# beside the quote (``Quote.translation``), faithful rather than free; the quote
# itself is never replaced.
PASSAGES: dict[str, str] = {
    "both_effective": gettext_noop(
        "Both leaders and sales people will be more effective when they realize the "
        "differences between leadership and sales."
    ),
    "sales_foundation": gettext_noop(
        "Being a sales person can provide a poor foundation for leadership."
    ),
    "sales_fail": gettext_noop(
        "I've seen good sales people fail when moved into leadership positions; and "
        "conversely, good leaders fail when they become sales people or use certain sales "
        "techniques to lead."
    ),
    "both_influence": gettext_noop(
        "Clearly, on the surface, both sales and leadership focus on ways to influence "
        "people to take action."
    ),
    "status_quo_satisfy": gettext_noop("Sales people must satisfy customers."),
    "status_quo_dissatisfy": gettext_noop("Leaders often have to dissatisfy the people."),
    "status_quo_thrall": gettext_noop(
        "People in most organizations are in thrall to a powerful force, the status quo."
    ),
    "status_quo_wrong": gettext_noop(
        "In fact, the status quo of any organization is almost always wrong."
    ),
    "status_quo_mediocre": gettext_noop(
        "The trouble with the status quo is that it gets mediocre results but represents "
        "them as good results."
    ),
    "status_quo_poor_vs_mediocre": gettext_noop(
        "And poor results are less harmful to an organization than mediocre results "
        "misrepresented as good results."
    ),
    "status_quo_transform": gettext_noop(
        "Leadership is not about maintaining the status quo (as management does), it's about "
        "transforming the status quo to achieve big increases in results."
    ),
    "status_quo_dissatisfaction": gettext_noop(
        "Such transformation cannot be accomplished unless and until people are infused "
        "with a powerful dissatisfaction with the way things are."
    ),
    "status_quo_liked": gettext_noop(
        "Sales people want customers to like them; but leaders may have to get some people "
        "angry with them and what they are challenging them to do."
    ),
    "some_angry": gettext_noop(
        "If they don't have some of the people angry with them, those leaders might not be "
        "challenging all the people enough."
    ),
    "all_angry": gettext_noop("Though watch out when you have ALL of the people angry with you."),
    "commitment_want": gettext_noop("Sales people get people to do what they want to do."),
    "commitment_ardent": gettext_noop(
        "Leaders aim to get people to do what they may not want to do and be ardently "
        "committed to doing it."
    ),
    "commitment_uncomfortable": gettext_noop(
        "Having people get out of the status quo to achieve great results means challenging "
        "them to be uncomfortable, do things in new ways, learn new skills, and take on "
        "perplexing tasks."
    ),
    "commitment_new_right": gettext_noop(
        "Good leaders live by the rule that it is better to do the new, right things in the "
        "temporarily wrong ways than to do the old wrong things in the right ways."
    ),
    "disapproval_counteract": gettext_noop(
        "Sales people must counteract bad feelings on the part of customers."
    ),
    "disapproval_live_with": gettext_noop(
        "Leaders may have to live with and even accept bad feelings on the part of the people "
        "while getting them to move toward their organization's greater goal."
    ),
    "disapproval_nearby_hill": gettext_noop(
        "When you lead people to go to the metaphorical mountain, for instance, many of them "
        "will want to go to the nearby hill or to stay where they are."
    ),
    "disapproval_standing_pat": gettext_noop(
        "Standing pat is more comfortable and less risky than going to the mountain."
    ),
    "disapproval_hop_on": gettext_noop(
        "In sales, you hop on people's disapproval right away and try to mitigate or eliminate it."
    ),
    "disapproval_misgivings": gettext_noop(
        "However, in leadership getting people to change from standing pat to being the "
        "cause leaders of going-forth can involve having to temporarily put up with their "
        "initial misgivings or even their outright defiance."
    ),
    "disapproval_grace": gettext_noop(
        "The hardest thing I've had to learn as a leader is grace under pressure."
    ),
    "similarities_share": gettext_noop(
        "Keep in mind that despite their differences, sales and leadership share useful "
        "similarities."
    ),
    "similarities_persuasion": gettext_noop(
        "Many sales techniques, especially with the art of persuasion, can be effectively "
        "used in leadership."
    ),
    "similarities_leadership_methods": gettext_noop(
        "Conversely, many leadership methodologies can be used in sales."
    ),
}


class Quote(str):
    """A passage as pages show it: the author's English words, as a plain
    string, that also knows our translation of them (``translation``)."""

    __slots__ = ()

    @property
    def translation(self) -> str | None:
        """Our translation into the active language, to show beside the
        author's words; None in the article's own language, or where the
        catalogue has none."""
        language = get_language()
        if not language or language.split("-")[0] == ARTICLE_LANGUAGE:
            return None
        translated = gettext(str(self))
        return translated if translated != self else None


def passage_text(key: str) -> Quote:
    """Return the verbatim article quote stored under ``key``."""
    return Quote(PASSAGES[key])


def passage_translation(key: str) -> str | None:
    """Our translation of the quote under ``key`` into the active language,
    or None (see ``Quote.translation``)."""
    return passage_text(key).translation
