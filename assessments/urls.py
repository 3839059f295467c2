"""The participant-facing site: each feature's URLs, at the root."""

from django.urls import include, path

urlpatterns = [
    path("", include("assessments.taking.urls")),
    path("", include("assessments.cohorts.link_urls")),
    path("", include("assessments.dashboards.urls")),
    path("", include("assessments.accounts.urls")),
    path("", include("assessments.preferences.urls")),
]
