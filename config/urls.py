from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
]

handler400 = "assessments.views.errors.bad_request"
