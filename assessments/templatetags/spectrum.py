from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):
    """``mapping|get_item:key``: a dictionary value by a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def score(value: float | None) -> str:
    """A score or mean as every page shows it (``scoring.shown``); empty stays empty."""
    from assessments.content.scoring import shown

    return "" if value is None or value == "" else str(shown(float(value)))


@register.filter
def passage(key: str) -> str:
    """The article's words behind a passage key, for a credited quote."""
    from assessments.content.article import passage_text

    return passage_text(key)
