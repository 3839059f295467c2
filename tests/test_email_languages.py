"""Emails in their reader's language: invitations and reminders in each
person's, a manager's invitation in the one their account chose, never in
whatever the request or the worker that renders them had active, with times
in the organisation's time zone; a person's language is the one they last
read their own link in.

German text appears once the catalogue is compiled: until then a German
email reads as the English one, so these tests also check which language
was active while each text was rendered (``rendered``), and compare with
the catalogue's German (``german``), which they will match then too."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from assessments.cohorts import emails, outbox, reminders
from assessments.cohorts import services as cohort_services
from assessments.models import Cohort, OutboundEmail, Participant, Preference
from tests import cast
from tests.helpers import add_people

INVITATION_SUBJECT = "%(cohort)s: your invitation to the Seller–Leader Spectrum assessment"
YOUR_LINK = "Your personal link (please do not share it):"
MANAGER_SUBJECT = "You are invited to manage %(team)s on Seller–Leader Spectrum"
# 16:00 UTC is 18:00 in Berlin (summer time) and 12:00 in New York.
CLOSES = datetime(2027, 3, 31, 16, 0, tzinfo=UTC)
PARTICIPANT_UPDATE = f'UPDATE "{Participant._meta.db_table}"'


def german(text: str) -> str:
    """``text`` as the catalogue has it in German (itself until it is compiled)."""
    with translation.override("de"):
        return gettext(text)


@pytest.fixture
def rendered(monkeypatch) -> list[tuple[str, str, str]]:
    """(what, language, time zone) active each time an email's text is rendered."""
    seen: list[tuple[str, str, str]] = []

    def watch(what, render):
        def wrapper(*args, **kwargs):
            active = (what, translation.get_language(), timezone.get_current_timezone_name())
            seen.append(active)
            return render(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(emails, "invitation_text", watch("invitation", emails.invitation_text))
    monkeypatch.setattr(emails, "reminder_text", watch("reminder", emails.reminder_text))
    monkeypatch.setattr(outbox, "render_to_string", watch("manager", outbox.render_to_string))
    return seen


@pytest.fixture
def berlin(settings):
    settings.TIME_ZONE = "Europe/Berlin"


@pytest.fixture
def people(cohort) -> tuple[Participant, Participant]:
    """Two people of one team: one who reads German, one who chose nothing."""
    dora, eve = add_people(cohort, cohort.teams.first(), 2, prefix="reader")
    Participant.objects.filter(pk=dora.pk).update(language="de")
    dora.refresh_from_db()
    return dora, eve


def queue(cohort: Cohort, hr_admin, kind: str) -> int:
    count = outbox.emails_queue(
        cohort=cohort, kind=kind, queued_by=hr_admin, link_for=lambda p: f"http://x/{p.pk}/"
    )
    outbox.emails_send_batch()
    return count


def sent_to(person: Participant):
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    return message


def test_it_writes_each_persons_invitation_in_their_language_from_one_send(
    hr_admin, cohort, people, rendered
):
    dora, eve = people
    assert queue(cohort, hr_admin, OutboundEmail.Kind.INVITATION) == 2
    # One rendering per language, not per person.
    assert sorted(language for _what, language, _zone in rendered) == ["de", "en"]
    values = {"cohort": cohort.name}
    assert sent_to(dora).subject == german(INVITATION_SUBJECT) % values
    assert german(YOUR_LINK) in sent_to(dora).body
    assert sent_to(eve).subject == INVITATION_SUBJECT % values
    assert YOUR_LINK in sent_to(eve).body
    assert f"http://x/{dora.pk}/" in sent_to(dora).body


def test_it_writes_each_persons_reminder_in_their_language(hr_admin, cohort, people, rendered):
    dora, eve = people
    assert queue(cohort, hr_admin, OutboundEmail.Kind.REMINDER) == 2
    assert sorted(language for _what, language, _zone in rendered) == ["de", "en"]
    subject = "Reminder: {cohort} – Seller–Leader Spectrum"
    assert sent_to(dora).subject == german(subject).replace("{cohort}", cohort.name)
    assert sent_to(eve).subject == subject.replace("{cohort}", cohort.name)
    with translation.override("de"):
        greeting = str(emails.DEFAULT_REMINDER_BODY).split("\n")[0]
    assert sent_to(dora).body.startswith(greeting.replace("{name}", dora.name))
    assert sent_to(eve).body.startswith(f"Hello {eve.name},")


def test_a_text_hr_wrote_goes_to_everyone_as_written(hr_admin, cohort, people, berlin):
    dora, eve = people
    Cohort.objects.filter(pk=cohort.pk).update(
        closes_at=CLOSES, reminder_subject="Nudge: {cohort}", reminder_body="{link}\n{closing}"
    )
    cohort.refresh_from_db()
    queue(cohort, hr_admin, OutboundEmail.Kind.REMINDER)
    assert sent_to(dora).subject == sent_to(eve).subject == f"Nudge: {cohort.name}"
    # Its closing sentence in the organisation's language, as the text most likely is.
    assert sent_to(dora).body.split("\n")[1] == sent_to(eve).body.split("\n")[1]


def test_the_language_and_time_zone_of_the_request_that_queues_never_leak(
    client, hr_admin, cohort, rendered, berlin
):
    Cohort.objects.filter(pk=cohort.pk).update(closes_at=CLOSES)
    (eve,) = add_people(cohort, cohort.teams.first(), 1)
    Preference.objects.create(user=hr_admin, language="de", time_zone="America/New_York")
    client.force_login(hr_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("cohorts:emails_queue", args=[cohort.pk, "invitations"]),
            headers={"accept-language": "de"},
        )
    assert response.status_code == 302
    assert rendered == [("invitation", "en", "Europe/Berlin")]
    message = sent_to(eve)
    assert message.subject == INVITATION_SUBJECT % {"cohort": cohort.name}
    with translation.override("en"):
        berlin_time = date_format(CLOSES.astimezone(ZoneInfo("Europe/Berlin")), "DATETIME_FORMAT")
    assert f"Please answer before {berlin_time}." in message.body


def test_a_reminder_the_worker_sends_is_in_the_persons_language(cohort, people, rendered, settings):
    """The task engine renders with no request: each text takes its own language."""
    settings.SITE_URL = "https://spectrum.example"
    Cohort.objects.filter(pk=cohort.pk).update(closes_at=CLOSES)
    cohort.scheduled_reminders.create(days_before=0)
    with translation.override("fr"):  # whatever the worker happens to have active
        assert reminders.reminders_send_due(now=datetime(2027, 3, 31, 12, tzinfo=UTC)) == 2
    assert sorted(language for _what, language, _zone in rendered) == ["de", "en"]
    outbox.emails_send_batch()
    dora, eve = people
    assert "https://spectrum.example/invite/" in sent_to(dora).body
    with translation.override("de"):
        closing = emails.closing_sentence(cohort)
    assert closing in sent_to(dora).body


def test_it_remembers_the_language_a_person_starts_in_when_hr_chose_none(client, cohort):
    (eve,) = add_people(cohort, cohort.teams.first(), 1)
    link = reverse("links:invitation", args=[eve.token])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(link, headers={"accept-language": "de"}).status_code == 302
    updates = [q["sql"] for q in queries if q["sql"].startswith(PARTICIPANT_UPDATE)]
    assert len(updates) == 1 and 'SET "language" = ' in updates[0]
    assert "," not in updates[0].split(" WHERE ")[0]  # that field only
    eve.refresh_from_db()
    assert eve.language == "de"

    # Coming back and carrying on in English changes nothing: the first
    # start chose, and nobody learns from the column when someone came back.
    with CaptureQueriesContext(connection) as queries:
        client.post(link, headers={"accept-language": "en"})
    assert not [q for q in queries if q["sql"].startswith(PARTICIPANT_UPDATE)]
    eve.refresh_from_db()
    assert eve.language == "de"


def test_opening_a_link_records_nothing_and_never_overrides_hr(client, cohort):
    """A hostile review found HR could watch each opening of a link in the
    language column, and that a mail scanner's GET (no Accept-Language)
    turned a German person's emails English."""
    amy, ben = add_people(cohort, cohort.teams.first(), 2)
    Participant.objects.filter(pk=ben.pk).update(language="de")
    for person in (amy, ben):
        client.get(reverse("links:invitation", args=[person.token]))
        client.get(
            reverse("links:invitation", args=[person.token]), headers={"accept-language": "de"}
        )
        client.get(reverse("links:delete", args=[person.token]), headers={"accept-language": "de"})
    amy.refresh_from_db()
    ben.refresh_from_db()
    assert (amy.language, ben.language) == ("", "de")
    client.post(reverse("links:invitation", args=[ben.token]), headers={"accept-language": "en"})
    ben.refresh_from_db()
    assert ben.language == "de"  # HR's choice stands


def test_a_link_whose_person_deleted_their_data_remembers_nothing(client, cohort):
    (eve,) = add_people(cohort, cohort.teams.first(), 1)
    Participant.objects.filter(pk=eve.pk).update(withdrawn_at=timezone.now())
    response = client.get(
        reverse("links:invitation", args=[eve.token]), headers={"accept-language": "de"}
    )
    assert response.status_code == 410
    eve.refresh_from_db()
    assert eve.language == ""


def test_someone_who_joins_gets_their_link_in_the_language_they_joined_in(client, cohort, rendered):
    cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    team = cohort.teams.first()
    (member,) = add_people(cohort, team, 1)
    join = reverse("links:join", args=[cohort.join_code])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            join,
            {"name": "Joan", "email": "joan@example.com", "team": team.pk},
            headers={"accept-language": "de"},
        )
        # Anyone may type a member's address: their language stays theirs.
        client.post(
            join,
            {"name": "Someone", "email": member.email, "team": team.pk},
            headers={"accept-language": "de"},
        )
    joan = cohort.participants.get(email="joan@example.com")
    assert joan.language == "de"
    member.refresh_from_db()
    assert member.language == ""
    assert [language for _what, language, _zone in rendered] == ["de", "en"]
    assert sent_to(joan).subject == german(INVITATION_SUBJECT) % {"cohort": cohort.name}


def test_a_managers_invitation_is_in_the_language_their_account_chose(hr_admin, cohort, rendered):
    team = cohort.teams.first()
    maria = cast.make_user("maria")
    Preference.objects.create(user=maria, language="de")
    for email in (maria.email.upper(), "new.manager@example.com"):
        invitation = cast.manager_invitation(team, hr_admin, email)
        with translation.override("en"):  # the HR admin's page
            outbox.manager_invitation_send(
                invitation=invitation, link="http://x/", invited_by=hr_admin
            )
    outbox.emails_send_batch()
    assert [language for _what, language, _zone in rendered] == ["de", "de", "en", "en"]
    by_address = {m.to[0]: m for m in mail.outbox}
    values = {"team": team.name}
    assert by_address[maria.email.upper()].subject == german(MANAGER_SUBJECT) % values
    assert by_address["new.manager@example.com"].subject == MANAGER_SUBJECT % values


def test_the_reminder_preview_is_in_each_language_the_cohort_reads(hr_client, cohort):
    (eve,) = add_people(cohort, cohort.teams.first(), 1)
    page = reverse("cohorts:schedule", args=[cohort.pk])
    response = hr_client.get(page)
    assert [p["language"] for p in response.context["previews"]] == ["en"]
    assert "Everyone in this cohort gets it in English" in response.text

    Participant.objects.filter(pk=eve.pk).update(language="de")
    response = hr_client.get(page)
    previews = response.context["previews"]
    assert [p["language"] for p in previews] == ["en", "de"]
    assert previews[0]["body"].startswith("Hello Alex Example,")
    with translation.override("de"):
        assert previews[1]["subject"] == str(emails.DEFAULT_REMINDER_SUBJECT).replace(
            "{cohort}", cohort.name
        )
    assert '<div class="card-body" lang="de">' in response.text

    # A text HR wrote goes to everyone as written: shown once.
    Cohort.objects.filter(pk=cohort.pk).update(reminder_subject="Hi", reminder_body="{link}")
    response = hr_client.get(page)
    assert [p["language"] for p in response.context["previews"]] == ["en"]
    assert "everyone gets it as written" in response.text


def test_a_reminders_outcome_is_recorded_in_english_and_read_in_the_readers(cohort):
    Cohort.objects.filter(pk=cohort.pk).update(closes_at=CLOSES)
    cohort.scheduled_reminders.create(days_before=0)
    with translation.override("de"):  # a worker with German active
        reminders.reminders_send_due(now=datetime(2027, 4, 1, tzinfo=UTC))
    recorded = cohort.scheduled_reminders.get().outcome
    assert recorded == "Not sent: the cohort was not open then."
    assert reminders.outcome_text(recorded) == recorded
    with translation.override("de"):
        reason = gettext("the cohort was not open then.")
        assert reminders.outcome_text(recorded) == german("Not sent: %(reason)s") % {
            "reason": reason
        }


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_languages_default_reminder_keeps_its_placeholders(language):
    with translation.override(language):
        subject = str(emails.DEFAULT_REMINDER_SUBJECT)
        body = str(emails.DEFAULT_REMINDER_BODY)
    assert "{cohort}" in subject
    assert all(f"{{{word}}}" in body for word in ("name", "cohort", "link", "closing"))
    assert emails.unknown_placeholders(subject + body) == []
