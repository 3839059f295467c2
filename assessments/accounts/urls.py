"""Accounts, history, and a person's own data."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from assessments.accounts import views as accounts

app_name = "accounts"

urlpatterns = [
    path("me/", accounts.history, name="history"),
    path("me/export/", accounts.data_export, name="data_export"),
    path("me/delete/", accounts.data_delete, name="data_delete"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        accounts.SignInView.as_view(
            extra_context={"heading": _("Sign in"), "button": _("Sign in")}
        ),
        name="login",
    ),
    path("accounts/sso/start/", accounts.sso_start, name="sso_start"),
    path("accounts/sso/callback/", accounts.sso_callback, name="sso_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        accounts.ResetPasswordView.as_view(
            extra_context={
                "heading": _("Reset your password"),
                "button": _("Send the link"),
            },
            success_url=reverse_lazy("accounts:password_reset_done"),
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
        accounts.SetPasswordView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
