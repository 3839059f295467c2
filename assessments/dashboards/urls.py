"""Managers' and HR admins' dashboards."""

from django.urls import path

from assessments.dashboards import views as dashboards

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", dashboards.dashboard_index, name="index"),
    path("dashboards/teams/<int:team_id>/", dashboards.team_dashboard, name="team"),
    path(
        "dashboards/teams/<int:team_id>/data.csv",
        dashboards.team_dashboard_csv,
        name="team_csv",
    ),
    path(
        "dashboards/cohorts/<int:cohort_id>/",
        dashboards.cohort_dashboard,
        name="cohort",
    ),
    path(
        "dashboards/cohorts/<int:cohort_id>/data.csv",
        dashboards.cohort_dashboard_csv,
        name="cohort_csv",
    ),
    path("dashboards/shared/<int:share_id>/", dashboards.shared_result, name="shared_result"),
]
