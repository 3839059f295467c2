"""Managers' and HR admins' dashboards."""

from django.urls import path

from assessments.dashboards import views as dashboards

urlpatterns = [
    path("dashboards/", dashboards.dashboard_index, name="dashboard_index"),
    path("dashboards/teams/<int:team_id>/", dashboards.team_dashboard, name="team_dashboard"),
    path(
        "dashboards/teams/<int:team_id>/data.csv",
        dashboards.team_dashboard_csv,
        name="team_dashboard_csv",
    ),
    path(
        "dashboards/cohorts/<int:cohort_id>/",
        dashboards.cohort_dashboard,
        name="cohort_dashboard",
    ),
    path(
        "dashboards/cohorts/<int:cohort_id>/data.csv",
        dashboards.cohort_dashboard_csv,
        name="cohort_dashboard_csv",
    ),
    path("dashboards/shared/<int:share_id>/", dashboards.shared_result, name="shared_result"),
]
