"""The texts of the emails to a cohort's people: made once per cohort, then
filled in per person.

Rendering a template for each of 20,000 invitations took most of the time
of the request that queues them (bench/outbox.py); so a cohort's text is
rendered once with markers where each person's name, team and link go, and
each email is that text with the markers replaced, in one pass.

HR may write a cohort's reminder themselves (its reminders page): plain
text in which {name}, {team}, {cohort}, {link} and {closing} stand for the
person's name, their team, the cohort's name, their personal link, and the
sentence that says when the cohort closes (empty when it has no closing
time). Nothing else in it is read: a reminder is never a template that
could reach into the site's data.
"""

import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.template.defaultfilters import date
from django.template.loader import render_to_string
from django.utils.timezone import localtime

from assessments.models import Cohort, OutboundEmail

Kind = OutboundEmail.Kind

PLACEHOLDERS = {
    "name": "the person's name",
    "team": "their team",
    "cohort": "the cohort's name",
    "link": "their personal link (a reminder must have it)",
    "closing": (
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

DEFAULT_REMINDER_SUBJECT = "Reminder: {cohort} – Seller–Leader Spectrum"
DEFAULT_REMINDER_BODY = """Hello {name},

A reminder: you have not finished the Seller–Leader Spectrum assessment for {cohort} yet. \
It takes about five minutes, and anything you already answered is saved.

Your personal link:
{link}

{closing}
"""

SAMPLE_PERSON = {"name": "Alex Example", "team": "Sales"}


def unknown_placeholders(text: str) -> list[str]:
    """The braced words in an HR-written text that stand for nothing."""
    return sorted({word for word in _BRACED.findall(text) if word not in PLACEHOLDERS})


def closing_sentence(cohort: Cohort) -> str:
    if cohort.closes_at is None:
        return ""
    return f"It closes on {date(localtime(cohort.closes_at), 'j F Y, H:i')}."


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


def _from_placeholders(text: str, cohort: Cohort) -> str:
    """An HR-written text with the cohort's values in and markers for the
    person's, in one pass (a value is never read again as a placeholder)."""
    values = {"cohort": cohort.name, "closing": closing_sentence(cohort)}

    def one(match: re.Match[str]) -> str:
        word = match.group(1)
        if word in PERSONAL:
            return _MARKER.format(word)
        return values.get(word, match.group(0))

    return _BRACED.sub(one, text)


def reminder_text(
    cohort: Cohort, *, subject: str | None = None, body: str | None = None
) -> CohortText:
    """The cohort's reminder (or the text given, for a preview)."""
    subject = subject if subject is not None else cohort.reminder_subject
    body = body if body is not None else cohort.reminder_body
    return CohortText(
        Kind.REMINDER,
        _from_placeholders(subject or DEFAULT_REMINDER_SUBJECT, cohort),
        _from_placeholders(body or DEFAULT_REMINDER_BODY, cohort),
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


def cohort_text(cohort: Cohort, kind: str) -> CohortText:
    if kind == Kind.INVITATION:
        return invitation_text(cohort)
    if kind == Kind.REMINDER:
        return reminder_text(cohort)
    raise ValueError(kind)
