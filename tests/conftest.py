"""The fixed cast and the default bank, shared by every test file."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from assessments.banks.rules import read_bank_file
from assessments.banks.services import bank_import
from assessments.cohorts.services import cohort_create, cohort_open
from assessments.cohorts.teams import teams_get_or_create
from assessments.models import BankVersion, Cohort
from assessments.roles import grant_role

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids repeat between tests."""
    cache.clear()


@pytest.fixture
def bank_data() -> dict:
    return read_bank_file()


@pytest.fixture
def bank_version(db, bank_data) -> BankVersion:
    """The default bank, loaded and published as on a fresh site."""
    version, _ = bank_import(data=bank_data)
    return version


def make_user(username: str):
    return get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD)


@pytest.fixture
def participant(db):
    return make_user("alice")


@pytest.fixture
def outsider(db):
    return make_user("mallory")


@pytest.fixture
def hr_admin(db):
    user = make_user("hannah")
    grant_role(user, "hr_admin")
    return user


@pytest.fixture
def manager(db):
    user = make_user("martin")
    grant_role(user, "manager")
    return user


@pytest.fixture
def cohort(bank_version, hr_admin) -> Cohort:
    """An open cohort with two teams and nobody in it yet."""
    teams = teams_get_or_create(["EMEA sales", "US sales"])
    cohort = cohort_create(
        name="Sales managers, Q1 2027", bank_version=bank_version, teams=teams, created_by=hr_admin
    )
    return cohort_open(cohort=cohort)
