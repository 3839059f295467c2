"""Managers are given teams: existing accounts directly, others by email invitation."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessments.models import ManagerInvitation, Team, TeamManager
from assessments.roles import is_manager
from tests.cast import make_user


def test_an_account_with_the_email_gets_no_role_without_the_emailed_link(
    client, hr_admin, participant
):
    """Emails of accounts are not verified: anyone could sign up with the
    boss's address first. The role comes only with the link sent by email."""
    team = Team.objects.create(name="EMEA sales")
    client.force_login(hr_admin)
    # The invitation goes out once the request commits (the task engine, at once in tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("cohorts:team_detail", args=[team.pk]), {"email": participant.email.upper()}
        )
    assert not TeamManager.objects.exists()
    participant.refresh_from_db()
    assert not is_manager(participant)
    invitation = ManagerInvitation.objects.get()
    assert f"/managers/accept/{invitation.token}/" in mail.outbox[0].body
    client.force_login(participant)
    response = client.post(reverse("links:manager_accept", args=[invitation.token]))
    assert response.url == reverse("dashboards:index")
    assert TeamManager.objects.filter(team=team, user=participant).exists()
    # A manager's session lasts a working day, not the usual two weeks.
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE <= 8 * 3600


def test_someone_without_an_account_is_invited_and_can_accept(client, hr_admin):
    team = Team.objects.create(name="EMEA sales")
    client.force_login(hr_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("cohorts:team_detail", args=[team.pk]), {"email": "new.boss@example.com"}
        )
    invitation = ManagerInvitation.objects.get()
    assert len(mail.outbox) == 1
    assert f"/managers/accept/{invitation.token}/" in mail.outbox[0].body

    client.logout()
    url = reverse("links:manager_accept", args=[invitation.token])
    assert client.get(url).url == f"{reverse('accounts:login')}?next={url}"
    boss = make_user("boss")
    client.force_login(boss)
    client.post(url)
    assert TeamManager.objects.filter(team=team, user=boss).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == boss


def test_an_invitation_is_used_once_and_expires(client, hr_admin, manager):
    team = Team.objects.create(name="EMEA sales")
    invitation = ManagerInvitation.objects.create(team=team, email="x@example.com")
    client.force_login(manager)
    client.post(reverse("links:manager_accept", args=[invitation.token]))
    TeamManager.objects.all().delete()  # HR removes them
    response = client.post(reverse("links:manager_accept", args=[invitation.token]), follow=True)
    assert "already used" in response.text
    assert not TeamManager.objects.exists()
    old = ManagerInvitation.objects.create(team=team, email="y@example.com")
    ManagerInvitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    response = client.post(reverse("links:manager_accept", args=[old.token]), follow=True)
    assert "expired" in response.text
    assert not TeamManager.objects.exists()


def test_an_invitation_cannot_be_used_by_a_second_person(client, hr_admin):
    team = Team.objects.create(name="EMEA sales")
    invitation = ManagerInvitation.objects.create(team=team, email="x@example.com")
    first, second = make_user("first"), make_user("second")
    client.force_login(first)
    client.post(reverse("links:manager_accept", args=[invitation.token]))
    client.force_login(second)
    response = client.post(reverse("links:manager_accept", args=[invitation.token]), follow=True)
    assert "already used" in response.text
    assert not TeamManager.objects.filter(user=second).exists()


def test_a_manager_can_be_removed(client, hr_admin, manager):
    team = Team.objects.create(name="EMEA sales")
    TeamManager.objects.create(team=team, user=manager)
    client.force_login(hr_admin)
    client.post(reverse("cohorts:team_manager_remove", args=[team.pk, manager.pk]))
    assert not TeamManager.objects.exists()


def test_a_team_name_is_unique_whatever_its_case(client, hr_admin):
    Team.objects.create(name="EMEA sales")
    client.force_login(hr_admin)
    response = client.post(reverse("cohorts:team_list"), {"name": "emea SALES"})
    assert "exists already" in response.text
    assert Team.objects.count() == 1
