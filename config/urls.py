from django.contrib import admin
from django.urls import include, path

from assessments.accounts.forms import AdminSignInForm
from assessments.errors import health

# The admin's sign-in says why a staff password is refused while staff must
# use single sign-on, as the site's own does.
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("healthz/", health, name="health"),
    path("admin/", admin.site.urls),
    path("hr/banks/", include("assessments.banks.urls")),
    path("hr/", include("assessments.cohorts.urls")),
    path("", include("assessments.urls")),
]

handler400 = "assessments.errors.bad_request"
handler500 = "assessments.errors.server_error"
