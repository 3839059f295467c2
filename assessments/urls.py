from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from .converters import TokenConverter
from .dashboards import views as dashboards
from .views import accounts, cohort_links, results, taking

register_converter(TokenConverter, "token")

urlpatterns = [
    path("", taking.home, name="home"),
    path("assessment/start/", taking.attempt_start, name="attempt_start"),
    path("assessment/<uuid:attempt_id>/resume/", taking.attempt_resume, name="attempt_resume"),
    path("assessment/<uuid:attempt_id>/answers/", taking.attempt_autosave, name="attempt_autosave"),
    path(
        "assessment/<uuid:attempt_id>/pages/<int:number>/",
        taking.attempt_page,
        name="attempt_page",
    ),
    path("results/<token:token>/", results.result_detail, name="result_detail"),
    path("results/<token:token>/share/", results.result_share, name="result_share"),
    path("invite/<token:token>/", cohort_links.invitation, name="invitation"),
    path(
        "invite/<token:token>/data.json",
        cohort_links.participant_data_export,
        name="participant_data_export",
    ),
    path(
        "invite/<token:token>/delete/",
        cohort_links.participant_delete,
        name="participant_delete",
    ),
    path("join/<token:code>/", cohort_links.cohort_join, name="cohort_join"),
    path("managers/accept/<token:token>/", cohort_links.manager_accept, name="manager_accept"),
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
    path("me/", accounts.history, name="history"),
    path("me/export/", accounts.data_export, name="data_export"),
    path("me/delete/", accounts.data_delete, name="data_delete"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        accounts.SignInView.as_view(extra_context={"heading": "Sign in", "button": "Sign in"}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        accounts.ResetPasswordView.as_view(
            extra_context={"heading": "Reset your password", "button": "Send the link"}
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
