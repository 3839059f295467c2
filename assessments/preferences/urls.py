from django.urls import path

from assessments.preferences import views

app_name = "preferences"

urlpatterns = [
    path("language/", views.language_switch, name="language"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
