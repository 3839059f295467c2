"""The texts of the emails to a cohort's people: made once per cohort and
language, then filled in per person.

Rendering a template for each of 20,000 invitations took most of the time
of the request that queues them (bench/outbox.py); so a cohort's text is
rendered once for each language its people read, with markers where each
person's name, team and link go, and each email is that text with the
markers replaced, in one pass.

Every email is written in its reader's language (``email_language``) and
shows times in the organisation's time zone, whatever the request or the
worker that renders it has active (``email_locale``).

HR may write a cohort's reminder themselves (its reminders page): plain
text in which {name}, {team}, {cohort}, {link} and {closing} stand for the
person's name, their team, the cohort's name, their personal link, and the
sentence that says when the cohort closes (empty when it has no closing
time). Nothing else in it is read: a reminder is never a template that
could reach into the site's data. A text HR wrote goes to everyone as
written, its closing sentence in the organisation's language (the one the
text most likely is in); the default text is translated for each reader.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.models import Cohort, OutboundEmail

Kind = OutboundEmail.Kind

PLACEHOLDERS = {
    "name": gettext_lazy("the person's name"),
    "team": gettext_lazy("their team"),
    "cohort": gettext_lazy("the cohort's name"),
    "link": gettext_lazy("their personal link (a reminder must have it)"),
    "closing": gettext_lazy(
        "“It closes on 31 March 2027, 18:00.”, or nothing when the cohort has no closing time"
    ),
}
PERSONAL = ("name", "team", "link")
_BRACED = re.compile(r"\{([^{}\n]{0,40})\}")
# Markers for a person's fields in a cohort's text. A NUL is in no name,
# team or cohort (forms refuse it and PostgreSQL cannot store it), so a
# marker can only be one this module put there.
_MARKER = "\x00{}\x00"
_MARKED = re.compile("\x00(name|team|link)\x00")

# Translators: keep {cohort} as it is: it stands for the cohort's name.
DEFAULT_REMINDER_SUBJECT = gettext_lazy("Reminder: {cohort} – Seller–Leader Spectrum")
# Translators: keep {name}, {cohort}, {link} and {closing} as they are: they
# stand for the person's name, the cohort's name, their link and the sentence
# that says when the cohort closes.
DEFAULT_REMINDER_BODY = gettext_lazy("""Hello {name},

A reminder: you have not finished the Seller–Leader Spectrum assessment for {cohort} yet. \
It takes about five minutes, and anything you already answered is saved.

Your personal link:
{link}

{closing}
""")

# The made-up person HR's preview is written to.
SAMPLE_PERSON = {
    "name": pgettext_lazy("a made-up person's name", "Alex Example"),
    "team": pgettext_lazy("a made-up team's name", "Sales"),
}


def email_language(language: str) -> str:
    """The language an email to someone who chose ``language`` is written
    in: theirs, else the organisation's (``settings.LANGUAGE_CODE``)."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def email_locale(language: str) -> Iterator[None]:
    """Render in ``language`` and the organisation's time zone: never in
    whatever the request (its reader's) or the worker had active."""
    with translation.override(email_language(language)), timezone.override(settings.TIME_ZONE):
        yield


def unknown_placeholders(text: str) -> list[str]:
    """The braced words in an HR-written text that stand for nothing."""
    return sorted({word for word in _BRACED.findall(text) if word not in PLACEHOLDERS})


def closing_sentence(cohort: Cohort) -> str:
    """When the cohort closes, in the active language and the organisation's time zone."""
    if cohort.closes_at is None:
        return ""
    when = timezone.localtime(cohort.closes_at, timezone.get_default_timezone())
    return _("It closes on %(when)s.") % {"when": date_format(when, "DATETIME_FORMAT")}


@dataclass(frozen=True)
class CohortText:
    """A cohort's email with markers for each person's name, team and link."""

    kind: str
    subject: str
    body: str

    def fill(self, *, name: str, team: str, link: str) -> tuple[str, str]:
        values = {"name": name, "team": team, "link": link}

        def one(match: re.Match[str]) -> str:
            return values[match.group(1)]

        return _MARKED.sub(one, self.subject).strip(), _MARKED.sub(one, self.body)


def _from_placeholders(text: str, cohort: Cohort, *, written: bool) -> str:
    """A reminder's text with the cohort's values in and markers for the
    person's, in one pass (a value is never read again as a placeholder).
    In a text HR ``written`` themselves, the closing sentence is in the
    organisation's language, as the text most likely is; in the default
    text, in the active one, as the rest of it."""
    if written:
        with translation.override(settings.LANGUAGE_CODE):
            closing = closing_sentence(cohort)
    else:
        closing = closing_sentence(cohort)
    values = {"cohort": cohort.name, "closing": closing}

    def one(match: re.Match[str]) -> str:
        word = match.group(1)
        if word in PERSONAL:
            return _MARKER.format(word)
        return values.get(word, match.group(0))

    return _BRACED.sub(one, text)


def reminder_text(
    cohort: Cohort, *, subject: str | None = None, body: str | None = None
) -> CohortText:
    """The cohort's reminder (or the text given, for a preview): HR's own
    text as written, the default in the active language."""
    subject = subject if subject is not None else cohort.reminder_subject
    body = body if body is not None else cohort.reminder_body
    return CohortText(
        Kind.REMINDER,
        _from_placeholders(subject or str(DEFAULT_REMINDER_SUBJECT), cohort, written=bool(subject)),
        _from_placeholders(body or str(DEFAULT_REMINDER_BODY), cohort, written=bool(body)),
    )


def invitation_text(cohort: Cohort) -> CohortText:
    """The invitation of templates/emails/, rendered once for the cohort."""
    stand_in = SimpleNamespace(
        name=_MARKER.format("name"), team=SimpleNamespace(name=_MARKER.format("team"))
    )
    context = {"participant": stand_in, "cohort": cohort, "link": _MARKER.format("link")}
    return CohortText(
        Kind.INVITATION,
        render_to_string("emails/invitation_subject.txt", context),
        render_to_string("emails/invitation.txt", context),
    )


def cohort_text(cohort: Cohort, kind: str, language: str) -> CohortText:
    """The cohort's invitation or reminder for the people who read ``language``."""
    with email_locale(language):
        if kind == Kind.INVITATION:
            return invitation_text(cohort)
        if kind == Kind.REMINDER:
            return reminder_text(cohort)
    raise ValueError(kind)
