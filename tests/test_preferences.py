"""The language switcher, a signed-in person's saved language and time zone,
and the accessibility statement."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Attempt, Preference, Response
from assessments.preferences import middleware
from tests import cast
from tests.helpers import page_answers

SWITCH = reverse("preferences:language")
PREFERENCES = reverse("preferences:preferences")


def test_it_switches_the_language_and_goes_back(db, client):
    response = client.post(SWITCH, {"language": "de", "next": "/me/?tab=2"})
    assert response.status_code == 302 and response["Location"] == "/me/?tab=2"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "de" and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="de"' in page.content.decode()  # the cookie wins over the browser
    assert page["Content-Language"] == "de"


def test_the_locale_middleware_may_skip_url_prefixes_because_there_are_none(db, client):
    """middleware.Locale drops Django's search for a language in the path: right
    only while no URL is under i18n_patterns."""
    from django.conf.urls.i18n import is_language_prefix_patterns_used

    assert is_language_prefix_patterns_used(settings.ROOT_URLCONF) == (False, False)
    page = client.get("/de/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert page.status_code == 404 and page["Content-Language"] == "en"
    page = client.get("/", headers={"accept-language": "fr, de-AT;q=0.8"})
    assert page["Content-Language"] == "de" and page["Vary"].count("Accept-Language") == 1
    page = client.get("/", headers={"accept-language": "fr"})
    assert page["Content-Language"] == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_it_never_sends_anyone_off_the_site(client, target):
    response = client.post(SWITCH, {"language": "de", "next": target})
    assert response["Location"] == "/"


def test_it_refuses_a_language_the_site_does_not_speak(client):
    response = client.post(SWITCH, {"language": "fr", "next": "/me/"}, follow=True)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert "That language is not one this site speaks." in response.content.decode()


def test_it_is_offered_on_every_page_by_the_name_of_the_other_language(db, client):
    page = client.get("/").content.decode()
    assert 'value="de" lang="de"' in page and ">Deutsch</button>" in page
    german = client.get("/", headers={"accept-language": "de"}).content.decode()
    assert 'value="en" lang="en"' in german and ">English</button>" in german


def test_it_remembers_a_signed_in_persons_language_on_their_other_devices(db):
    alice = cast.participant()
    phone = Client()
    phone.force_login(alice)
    phone.post(SWITCH, {"language": "de", "next": "/me/"})
    assert Preference.objects.get(user=alice).language == "de"

    laptop = Client()  # no cookie, a browser asking for English
    laptop.force_login(alice)
    page = laptop.get("/me/", headers={"accept-language": "en"})
    assert '<html lang="de"' in page.content.decode() and page["Content-Language"] == "de"


def test_it_keeps_a_copy_of_the_saved_preference_in_the_session(db):
    alice = cast.participant()
    Preference.objects.create(user=alice, language="de")
    client = Client()
    client.force_login(alice)
    client.get("/")
    session = client.session
    assert session[middleware.SESSION_KEY] == [alice.pk, "de", ""]


def test_the_session_copy_of_someone_else_is_not_used(db):
    """A session's copy belongs to the user it was read for: signing in as
    someone else in the same browser reads theirs."""
    alice, bob = cast.participant(), cast.participant("bob")
    Preference.objects.create(user=alice, language="de")
    client = Client()
    client.force_login(alice)
    client.get("/")
    client.force_login(bob)
    page = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en"' in page.content.decode()


def test_the_preferences_page_saves_language_and_time_zone(db):
    hannah = cast.hr_admin()
    client = Client()
    client.force_login(hannah)
    response = client.post(PREFERENCES, {"language": "de", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    saved = Preference.objects.get(user=hannah)
    assert (saved.language, saved.time_zone) == ("de", "Europe/Berlin")
    page = client.get(PREFERENCES).content.decode()
    assert "Europe/Berlin" in page and '<html lang="de"' in page


def test_the_time_zone_is_used_for_times_on_pages(db, settings):
    settings.TIME_ZONE = "UTC"
    hannah = cast.hr_admin()
    client = Client()
    client.force_login(hannah)
    client.post(PREFERENCES, {"language": "en", "time_zone": "Asia/Tokyo"})
    page = client.get(PREFERENCES).content.decode()
    assert "Pages show times in Asia/Tokyo" in page
    client.post(PREFERENCES, {"language": "en", "time_zone": ""})
    assert "Pages show times in UTC" in client.get(PREFERENCES).content.decode()


def test_the_preferences_page_refuses_an_unknown_time_zone_and_stores_nothing(db):
    alice = cast.participant()
    client = Client()
    client.force_login(alice)
    response = client.post(PREFERENCES, {"language": "de", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.filter(user=alice).exists()


def test_the_preferences_page_is_for_signed_in_people(client):
    response = client.get(PREFERENCES)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_switching_language_keeps_the_attempt_and_its_answers(db, bank_version):
    client = Client()
    start = client.post(reverse("taking:attempt_start"))
    page_one = start["Location"]
    attempt_id = page_one.split("/")[2]
    attempt = Attempt.objects.get(pk=attempt_id)
    answers = page_answers(attempt, 1)
    client.post(page_one, answers)
    switched = client.post(SWITCH, {"language": "de", "next": page_one})
    assert switched["Location"] == page_one
    again = client.get(page_one)
    assert again.status_code == 200 and '<html lang="de"' in again.content.decode()
    assert Response.objects.filter(attempt=attempt).count() == len(answers)
    # The answers given before the switch are still chosen on the German page.
    assert again.content.decode().count(" checked") == len(answers)


def test_the_accessibility_statement_says_what_is_tested_and_how_to_report(db, client, settings):
    page = client.get(reverse("preferences:accessibility")).content.decode()
    assert "WCAG" in page and "axe-core" in page and "375 pixels" in page
    assert "reply to your invitation email" in page
    settings.ACCESSIBILITY_CONTACT = "access@example.com"
    page = client.get(reverse("preferences:accessibility")).content.decode()
    assert 'href="mailto:access@example.com"' in page


def test_the_footer_links_the_statement_and_a_signed_in_persons_preferences(db):
    client = Client()
    assert reverse("preferences:accessibility") in client.get("/").content.decode()
    assert PREFERENCES not in client.get("/").content.decode()
    client.force_login(cast.participant())
    assert PREFERENCES in client.get("/").content.decode()


def test_a_persons_data_download_holds_their_preferences(db):
    alice = cast.participant()
    Preference.objects.create(user=alice, language="de", time_zone="Europe/Vienna")
    client = Client()
    client.force_login(alice)
    data = client.get(reverse("accounts:data_export")).json()
    assert data["preferences"] == {"language": "de", "time_zone": "Europe/Vienna"}


def test_deleting_an_account_deletes_its_preferences(db):
    alice = cast.participant()
    Preference.objects.create(user=alice, language="de")
    alice.delete()
    assert not Preference.objects.exists()


def test_hr_pages_show_times_in_the_readers_own_time_zone(db, settings, cohort, hr_admin):
    settings.TIME_ZONE = "UTC"
    cohort.closes_at = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    cohort.save(update_fields=["closes_at"])
    client = Client()
    client.force_login(hr_admin)
    page = reverse("cohorts:detail", args=[cohort.pk])
    assert "31 March 2027, 09:00" in client.get(page).content.decode()  # the organisation's

    client.post(PREFERENCES, {"language": "", "time_zone": "Asia/Tokyo"})
    assert "31 March 2027, 18:00" in client.get(page).content.decode()
    client.post(PREFERENCES, {"language": "de", "time_zone": "Asia/Tokyo"})
    assert "31. März 2027 18:00" in client.get(page).content.decode()


def test_a_cached_result_shows_the_day_in_each_readers_time_zone(db, settings, bank_version):
    """The report is kept in the cache once rendered; the day it was taken is
    read in the reader's time zone, so the cache is kept per time zone too."""
    from unittest import mock

    from tests.helpers import submitted_result

    settings.TIME_ZONE = "UTC"
    late = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # stored results never change: made then
    with mock.patch("django.utils.timezone.now", return_value=late):
        result = submitted_result(bank_version)
    assert result.created_at == late
    page = reverse("taking:result_detail", args=[result.token])
    client = Client()
    assert "6 December 2026" in client.get(page).content.decode()
    tokyo = Client()
    tokyo.force_login(cast.hr_admin())
    tokyo.post(PREFERENCES, {"language": "en", "time_zone": "Asia/Tokyo"})
    assert "7 December 2026" in tokyo.get(page).content.decode()
    assert "6 December 2026" in client.get(page).content.decode()
