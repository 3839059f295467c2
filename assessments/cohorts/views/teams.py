"""Teams of the organisation and the managers given them."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import SignedInRequest, get_team_for_hr, hr_admin_required
from assessments.audit.decorators import records_names_read
from assessments.cohorts import outbox
from assessments.cohorts import teams as team_services
from assessments.cohorts.forms import ManagerForm, TeamForm
from assessments.models import Team


@hr_admin_required
@require_http_methods(["GET", "POST"])
@records_names_read("team")  # the managers of every team
def team_list(request: SignedInRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team_services.teams_get_or_create([form.cleaned_data["name"]])
        messages.success(
            request, _("The team %(team)s was added.") % {"team": form.cleaned_data["name"]}
        )
        return redirect("cohorts:team_list")
    teams = Team.objects.prefetch_related("managers__user", "cohorts")
    return render(request, "hr/team_list.html", {"teams": teams, "form": form})


@hr_admin_required
@require_http_methods(["GET", "POST"])
@records_names_read("team")  # its managers and the addresses invited
def team_detail(request: SignedInRequest, team_id: int) -> HttpResponse:
    team = get_team_for_hr(team_id)
    form = ManagerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        invitation = team_services.manager_invitation_create(
            team=team, email=email, invited_by=request.user
        )
        link = request.build_absolute_uri(reverse("links:manager_accept", args=[invitation.token]))
        outbox.manager_invitation_send(invitation=invitation, link=link, invited_by=request.user)
        messages.success(
            request,
            _(
                "An invitation to manage %(team)s was sent to %(email)s. They sign in or sign "
                "up and accept it with the link."
            )
            % {"team": team.name, "email": email},
        )
        return redirect("cohorts:team_detail", team_id=team.pk)
    context = {
        "team": team,
        "form": form,
        "managers": team.managers.select_related("user"),
        "pending": team.manager_invitations.filter(accepted_at__isnull=True),
        "cohorts": team.cohorts.all(),
    }
    return render(request, "hr/team_detail.html", context)


@hr_admin_required
@require_POST
def team_manager_remove(request: SignedInRequest, team_id: int, user_id: int) -> HttpResponse:
    team = get_team_for_hr(team_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404(_("No such manager."))
    team_services.team_manager_remove(team=team, user=user, by=request.user)
    messages.success(
        request,
        _("%(user)s no longer manages %(team)s.")
        % {"user": user.get_username(), "team": team.name},
    )
    return redirect("cohorts:team_detail", team_id=team.pk)
