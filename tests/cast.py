"""The fixed cast of people, and small factories for the world around them.

One cast for the whole suite: conftest's fixtures, the leak probe, the
fuzzing and the insider attacks all sign in as these people and build their
banks, cohorts, teams and results with these functions, each taking only
what it needs (the attacker tests choose their own team sizes, say).

The people, by role: alice and bob take part, mallory is an outsider,
hannah is the HR admin, martin and maria manage teams. Everyone signs in
with PASSWORD.
"""

from collections.abc import Iterable, Sequence
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from assessments.access import SESSION_ATTEMPTS
from assessments.banks.rules import read_bank_file
from assessments.banks.services import bank_import, bank_version_copy
from assessments.cohorts import services as cohort_services
from assessments.cohorts import teams as team_services
from assessments.dashboards.sharing import result_share_set
from assessments.models import (
    Attempt,
    BankVersion,
    Cohort,
    ManagerInvitation,
    Participant,
    ParticipantImport,
    Result,
    ResultShare,
    Team,
)
from assessments.roles import grant_role
from assessments.taking import services as taking_services
from tests.helpers import add_people, complete, page_answers

PASSWORD = "correct-horse-battery"
COHORT_NAME = "Sales managers, Q1 2027"
TEAM_NAMES = ("EMEA sales", "US sales")

# --- The people ------------------------------------------------------------------


def make_user(username: str, *roles: str) -> User:
    """Someone with an account (``username``@example.com), in the given roles."""
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD)
    for role in roles:
        grant_role(user, role)
    return user


def participant(name: str = "alice") -> User:
    """Takes the assessment; bob is the second one where a test needs two."""
    return make_user(name)


def outsider(name: str = "mallory") -> User:
    """Signed in, and part of nothing the test is about."""
    return make_user(name)


def hr_admin(name: str = "hannah") -> User:
    return make_user(name, "hr_admin")


def manager(name: str = "martin", *, teams: Iterable[Team] = ()) -> User:
    """A manager, of the given teams (maria manages the second team)."""
    user = make_user(name, "manager")
    for team in teams:
        team_services.team_manager_add(team=team, user=user)
    return user


def session_key(user: User, *, holding: Iterable[UUID | str] = ()) -> str:
    """A signed-in session for ``user``, in a browser that also holds the
    given attempts: cohort attempts stay with their personal link, so whoever
    followed the link in this browser may share or delete their result."""
    client = Client()
    client.force_login(user)
    if holding:
        session = client.session
        session[SESSION_ATTEMPTS] = [str(attempt_id) for attempt_id in holding]
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- Banks ------------------------------------------------------------------------


def published_bank() -> BankVersion:
    """The default bank, loaded and published as on a fresh site."""
    version, _ = bank_import(data=read_bank_file(), shipped=True)
    return version


# Two scenarios per difference, for tests of a bank that mixes item kinds.
SCENARIOS = [
    {
        "kind": "scenario",
        "dimension": dimension,
        "text": text,
        "passage": "",
        "options": [{"text": option, "position": position} for option, position in options],
    }
    for dimension, text, options in [
        (
            "status_quo",
            "Your team's numbers are steady and nobody is complaining.",
            [("Leave it be: it works.", 10), ("Ask what steady is costing us.", 90)],
        ),
        (
            "status_quo",
            "A long-standing process everyone likes is slower than it could be.",
            [
                ("Point out what it costs, knowing some will be unhappy.", 85),
                ("Keep it: people like it.", 5),
                ("Mention it once and see who agrees.", 50),
            ],
        ),
        (
            "commitment",
            "You need the team to adopt a change they would rather avoid.",
            [
                ("Present it as what they already want.", 15),
                ("Ask each person for a real commitment.", 95),
            ],
        ),
        (
            "commitment",
            "A colleague agrees to your plan without much enthusiasm.",
            [
                ("Take the yes and move on.", 10),
                ("Ask what it would take for them to commit fully.", 90),
                ("Give them a week, then ask again.", 55),
                ("Offer something they want in return.", 25),
            ],
        ),
        (
            "disapproval",
            "Your decision has left several people unhappy with you.",
            [("Win them back quickly.", 10), ("Live with it for now.", 85)],
        ),
        (
            "disapproval",
            "A peer criticises your direction in front of others.",
            [
                ("Change course to restore goodwill.", 5),
                ("Hear them out and hold your course.", 80),
            ],
        ),
    ]
]


def mixed_bank_data(number: int = 2) -> dict:
    """The default bank's statements with two scenarios per difference, in
    format 2, as version ``number`` of the default bank."""
    data = read_bank_file()
    data["format"] = 2
    data["version"]["number"] = number
    data["items"] = data["items"] + [dict(scenario) for scenario in SCENARIOS]
    return data


def mixed_bank(number: int = 2) -> BankVersion:
    """A published, shipped version that mixes statements and scenarios: the
    current version of the default bank once loaded."""
    version, _ = bank_import(data=mixed_bank_data(number), shipped=True)
    return version


def draft_of(version: BankVersion) -> BankVersion:
    """The next version of a bank: a draft copied from ``version``."""
    return bank_version_copy(source=version)


# --- Cohorts, teams and the people in them ----------------------------------------


def teams(*names: str) -> list[Team]:
    """Teams of the organisation, in the order named."""
    found = {team.name: team for team in team_services.teams_get_or_create(names)}
    return [found[name] for name in names]


def open_cohort(
    *,
    bank_version: BankVersion,
    created_by: User,
    teams: Sequence[Team],
    join_link: bool = False,
    name: str = COHORT_NAME,
) -> Cohort:
    """An open cohort of ``teams`` with nobody in it yet; ``join_link`` opens
    the link anyone may join by."""
    cohort = cohort_services.cohort_create(
        name=name, bank_version=bank_version, teams=teams, created_by=created_by
    )
    cohort = cohort_services.cohort_open(cohort=cohort)
    if join_link:
        cohort = cohort_services.cohort_join_link_set(cohort=cohort, enabled=True)
    return cohort


def invited(cohort: Cohort, team: Team, count: int = 1, prefix: str = "person") -> list:
    """People of a team invited to the cohort who have not started."""
    return add_people(cohort, team, count, prefix)


def completed(
    cohort: Cohort, team: Team, count: int, prefix: str = "person", value=4
) -> list[Participant]:
    """People of a team who completed the assessment through their invitation."""
    people = add_people(cohort, team, count, prefix)
    for person in people:
        complete(person, value)
    return people


def cohort_result(cohort: Cohort, team: Team, name: str) -> Result:
    """One person's result, taken in the cohort through their personal link."""
    return complete(add_people(cohort, team, 1, name)[0])


def attempt_in_progress(version: BankVersion, user: User | None, pages: int = 0) -> Attempt:
    """An attempt of one's own, with its first ``pages`` pages answered."""
    attempt = taking_services.attempt_start(bank_version=version, user=user)
    for number in range(1, pages + 1):
        answers = page_answers(attempt, number)
        taking_services.responses_save(
            attempt=attempt,
            answers={int(key.removeprefix("item_")): value for key, value in answers.items()},
        )
    return attempt


def shared(result: Result) -> ResultShare:
    """``result`` shared by its taker with their team's managers."""
    share = result_share_set(result=result, shared=True)
    assert share is not None
    return share


def pending_import(cohort: Cohort, created_by: User, rows: list | None = None) -> ParticipantImport:
    """A CSV upload waiting for the HR admin to confirm or cancel it."""
    return ParticipantImport.objects.create(
        cohort=cohort,
        created_by=created_by,
        filename="people.csv",
        rows=[[2, "Pat", "pat@example.com", "EMEA sales"]] if rows is None else rows,
    )


def manager_invitation(
    team: Team, invited_by: User, email: str = "new-manager@example.com"
) -> ManagerInvitation:
    """An emailed invitation to manage ``team``, not yet accepted."""
    return ManagerInvitation.objects.create(team=team, email=email, invited_by=invited_by)
