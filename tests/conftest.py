"""The fixed cast and the default bank, shared by every test file."""

import pytest
from django.contrib.auth import get_user_model

from assessments.banks import bank_import, read_bank_file
from assessments.models import BankVersion

PASSWORD = "correct-horse-battery"


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
