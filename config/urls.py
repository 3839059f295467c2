from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("hr/banks/", include("assessments.hr_bank_urls")),
    path("hr/", include("assessments.hr_urls")),
    path("", include("assessments.urls")),
]

handler400 = "assessments.views.errors.bad_request"
