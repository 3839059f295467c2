"""The article the product is built on: its credit line and the short
passages quoted verbatim, each shown with the credit.

Pure data: no Django, no database.
"""

ARTICLE_TITLE = "Sales And Leadership: The Differences That Matter"
ARTICLE_AUTHOR = "Nick Niesen"
ARTICLE_YEAR = 2010
# The article prints "2006 © The Filson Leadership Group, Inc."; written the
# usual way round, so that it cannot be read as a second date for the article.
ARTICLE_COPYRIGHT = "© 2006 The Filson Leadership Group, Inc."
CREDIT = (
    f'Based on "{ARTICLE_TITLE}" by {ARTICLE_AUTHOR} ({ARTICLE_YEAR}; {ARTICLE_COPYRIGHT}). '
    "Quoted lines are the author's words; the rest is our paraphrase."
)

# Key -> a short verbatim quote from the article (one sentence or less, at most 35 words),
# copied exactly, character for character.
PASSAGES: dict[str, str] = {
    "both_effective": (
        "Both leaders and sales people will be more effective when they realize the "
        "differences between leadership and sales."
    ),
    "sales_foundation": "Being a sales person can provide a poor foundation for leadership.",
    "sales_fail": (
        "I've seen good sales people fail when moved into leadership positions; and "
        "conversely, good leaders fail when they become sales people or use certain sales "
        "techniques to lead."
    ),
    "both_influence": (
        "Clearly, on the surface, both sales and leadership focus on ways to influence "
        "people to take action."
    ),
    "status_quo_satisfy": "Sales people must satisfy customers.",
    "status_quo_dissatisfy": "Leaders often have to dissatisfy the people.",
    "status_quo_thrall": (
        "People in most organizations are in thrall to a powerful force, the status quo."
    ),
    "status_quo_wrong": "In fact, the status quo of any organization is almost always wrong.",
    "status_quo_mediocre": (
        "The trouble with the status quo is that it gets mediocre results but represents "
        "them as good results."
    ),
    "status_quo_poor_vs_mediocre": (
        "And poor results are less harmful to an organization than mediocre results "
        "misrepresented as good results."
    ),
    "status_quo_transform": (
        "Leadership is not about maintaining the status quo (as management does), it's about "
        "transforming the status quo to achieve big increases in results."
    ),
    "status_quo_dissatisfaction": (
        "Such transformation cannot be accomplished unless and until people are infused "
        "with a powerful dissatisfaction with the way things are."
    ),
    "status_quo_liked": (
        "Sales people want customers to like them; but leaders may have to get some people "
        "angry with them and what they are challenging them to do."
    ),
    "some_angry": (
        "If they don't have some of the people angry with them, those leaders might not be "
        "challenging all the people enough."
    ),
    "all_angry": "Though watch out when you have ALL of the people angry with you.",
    "commitment_want": "Sales people get people to do what they want to do.",
    "commitment_ardent": (
        "Leaders aim to get people to do what they may not want to do and be ardently "
        "committed to doing it."
    ),
    "commitment_uncomfortable": (
        "Having people get out of the status quo to achieve great results means challenging "
        "them to be uncomfortable, do things in new ways, learn new skills, and take on "
        "perplexing tasks."
    ),
    "commitment_new_right": (
        "Good leaders live by the rule that it is better to do the new, right things in the "
        "temporarily wrong ways than to do the old wrong things in the right ways."
    ),
    "disapproval_counteract": (
        "Sales people must counteract bad feelings on the part of customers."
    ),
    "disapproval_live_with": (
        "Leaders may have to live with and even accept bad feelings on the part of the people "
        "while getting them to move toward their organization's greater goal."
    ),
    "disapproval_nearby_hill": (
        "When you lead people to go to the metaphorical mountain, for instance, many of them "
        "will want to go to the nearby hill or to stay where they are."
    ),
    "disapproval_standing_pat": (
        "Standing pat is more comfortable and less risky than going to the mountain."
    ),
    "disapproval_hop_on": (
        "In sales, you hop on people's disapproval right away and try to mitigate or eliminate it."
    ),
    "disapproval_misgivings": (
        "However, in leadership getting people to change from standing pat to being the "
        "cause leaders of going-forth can involve having to temporarily put up with their "
        "initial misgivings or even their outright defiance."
    ),
    "disapproval_grace": (
        "The hardest thing I've had to learn as a leader is grace under pressure."
    ),
    "similarities_share": (
        "Keep in mind that despite their differences, sales and leadership share useful "
        "similarities."
    ),
    "similarities_persuasion": (
        "Many sales techniques, especially with the art of persuasion, can be effectively "
        "used in leadership."
    ),
    "similarities_leadership_methods": (
        "Conversely, many leadership methodologies can be used in sales."
    ),
}


def passage_text(key: str) -> str:
    """Return the verbatim article quote stored under ``key``."""
    return PASSAGES[key]
