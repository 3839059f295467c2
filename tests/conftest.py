"""The fixed cast (tests/cast.py) and the default bank, as fixtures for every test file."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from assessments.banks.rules import read_bank_file
from assessments.models import BankVersion, Cohort
from assessments.taking.selectors import forget_published_items
from tests import cast

# Tests written before tests/cast.py import these from here.
PASSWORD = cast.PASSWORD
make_user = cast.make_user


@pytest.fixture(autouse=True)
def _organisation_language():
    """Each test starts, and leaves the thread, in the organisation's language
    and time zone: a request made in German leaves German active in its thread
    (the test client runs in it), which would change what the next test reads."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids repeat between tests."""
    cache.clear()
    forget_published_items()


@pytest.fixture
def bank_data() -> dict:
    return read_bank_file()


@pytest.fixture
def bank_version(db) -> BankVersion:
    """The default bank, loaded and published as on a fresh site."""
    return cast.published_bank()


@pytest.fixture
def draft(bank_version) -> BankVersion:
    """Version 2 of the default bank: a draft copied from the published version 1."""
    return cast.draft_of(bank_version)


@pytest.fixture
def participant(db):
    return cast.participant()


@pytest.fixture
def outsider(db):
    return cast.outsider()


@pytest.fixture
def hr_admin(db):
    return cast.hr_admin()


@pytest.fixture
def manager(db):
    """A manager of no team yet."""
    return cast.manager()


@pytest.fixture
def hr_client(client, hr_admin):
    client.force_login(hr_admin)
    return client


@pytest.fixture
def cohort(bank_version, hr_admin) -> Cohort:
    """An open cohort with two teams and nobody in it yet."""
    return cast.open_cohort(
        bank_version=bank_version, created_by=hr_admin, teams=cast.teams(*cast.TEAM_NAMES)
    )
