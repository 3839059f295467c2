from datetime import timedelta
from math import ceil

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

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
def grouped(value: int | float) -> str:
    """A count with its thousands grouped as the reader's language groups
    them: 12,345 in English, 12.345 in German."""
    return number_format(value, force_grouping=True)


@register.filter
def minutes(value: timedelta | None) -> str:
    """A wait in whole minutes, rounded up, in words: "15 minutes"."""
    if not value:
        return ""
    count = max(1, ceil(value.total_seconds() / 60))
    return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}


@register.filter
def passage(key: str) -> str:
    """The article's words behind a passage key, for a credited quote."""
    from assessments.content.article import passage_text

    return passage_text(key)


@register.inclusion_tag("assessments/_spectrum_bar.html")
def spectrum_bar(value: float | None = None, label: str = "") -> dict:
    """A small picture of the spectrum, its five bands in the charts'
    colours, with a marker at ``value`` if given: drawn by the page itself, so it
    shows at once and prints without waiting for the charts' script."""
    from assessments.charts.style import BAND_COLOURS
    from assessments.content.scoring import BANDS

    return {
        "bands": [
            {"x": band.lower, "width": band.upper - band.lower, "colour": BAND_COLOURS[band.key]}
            for band in BANDS
        ],
        "value": value,
        "label": label,
    }
