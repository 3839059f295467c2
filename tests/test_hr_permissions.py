"""Every HR URL refuses everyone but HR admins, found from the URL patterns themselves."""

import pytest
from django.urls import URLPattern, reverse

from assessments.banks import urls as hr_bank_urls
from assessments.cohorts import urls as hr_urls
from assessments.models import ParticipantImport, Team
from tests.helpers import add_people

HR_PATTERNS = [
    (module.app_name, pattern)
    for module in (hr_urls, hr_bank_urls)
    for pattern in module.urlpatterns
    if isinstance(pattern, URLPattern)
]


@pytest.fixture
def url_kwargs(cohort, manager, hr_admin, bank_version) -> dict:
    """A real object for every kind of id an HR URL takes."""
    team = cohort.teams.first()
    person = add_people(cohort, team, 1)[0]
    pending = ParticipantImport.objects.create(cohort=cohort, created_by=hr_admin)
    item = bank_version.items.first()
    return {
        "cohort_id": cohort.pk,
        "import_id": pending.pk,
        "kind": "invitations",
        "fmt": "csv",
        "team_id": team.pk,
        "user_id": manager.pk,
        "version_id": bank_version.pk,
        "bank_id": bank_version.bank_id,
        "item_id": item.pk,
        "participant_id": person.pk,
    }


def url_for(named: tuple[str, URLPattern], kwargs: dict) -> str:
    namespace, pattern = named
    names = pattern.pattern.converters.keys()
    return reverse(f"{namespace}:{pattern.name}", kwargs={name: kwargs[name] for name in names})


@pytest.mark.parametrize("pattern", HR_PATTERNS, ids=lambda p: f"{p[0]}:{p[1].name}")
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_people_are_sent_to_sign_in(client, url_kwargs, pattern, method):
    response = getattr(client, method)(url_for(pattern, url_kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("pattern", HR_PATTERNS, ids=lambda p: f"{p[0]}:{p[1].name}")
@pytest.mark.parametrize("role", ["participant", "manager"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_get_403_and_change_nothing(client, request, url_kwargs, pattern, role, method):
    client.force_login(request.getfixturevalue(role))
    before = (Team.objects.count(), ParticipantImport.objects.get().status)
    response = getattr(client, method)(url_for(pattern, url_kwargs))
    assert response.status_code == 403
    assert (Team.objects.count(), ParticipantImport.objects.get().status) == before


@pytest.mark.parametrize("pattern", HR_PATTERNS, ids=lambda p: f"{p[0]}:{p[1].name}")
def test_hr_admins_reach_every_page(client, hr_admin, url_kwargs, pattern):
    client.force_login(hr_admin)
    response = client.get(url_for(pattern, url_kwargs))
    # Pages answer 200; actions that change something take POST only (405);
    # editing the published version these ids point at is refused (409).
    assert response.status_code in {200, 405, 409}, response.status_code


def test_unknown_ids_get_404_for_hr_admins(client, hr_admin, cohort):
    client.force_login(hr_admin)
    assert client.get(reverse("cohorts:detail", args=[999999])).status_code == 404
    assert client.get(reverse("cohorts:team_detail", args=[999999])).status_code == 404
    assert (
        client.get(reverse("cohorts:import_preview", args=[cohort.pk, 999999])).status_code == 404
    )


def test_the_hr_link_shows_only_for_hr_admins(client, participant, hr_admin, bank_version):
    hr_link = f'href="{reverse("cohorts:list")}"'
    client.force_login(participant)
    assert hr_link not in client.get(reverse("taking:home")).text
    client.force_login(hr_admin)
    assert hr_link in client.get(reverse("taking:home")).text
