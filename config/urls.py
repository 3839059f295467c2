from django.contrib import admin
from django.urls import include, path

from assessments.views.errors import health

urlpatterns = [
    path("healthz/", health, name="health"),
    path("admin/", admin.site.urls),
    path("hr/banks/", include("assessments.hr_bank_urls")),
    path("hr/", include("assessments.hr_urls")),
    path("", include("assessments.urls")),
]

handler400 = "assessments.views.errors.bad_request"
handler500 = "assessments.views.errors.server_error"
