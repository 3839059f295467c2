"""The links people outside HR follow: personal invitations (with the
person's own data behind them), the open join link, a manager's invitation."""

from django.urls import path

from assessments import converters  # noqa: F401  (registers <token:>)
from assessments.cohorts.views import links as cohort_links

app_name = "links"

urlpatterns = [
    path("invite/<token:token>/", cohort_links.invitation, name="invitation"),
    path(
        "invite/<token:token>/data.json",
        cohort_links.participant_data_export,
        name="data_export",
    ),
    path(
        "invite/<token:token>/delete/",
        cohort_links.participant_delete,
        name="delete",
    ),
    path("join/<token:code>/", cohort_links.cohort_join, name="join"),
    path("managers/accept/<token:token>/", cohort_links.manager_accept, name="manager_accept"),
]
