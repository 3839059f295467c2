"""Forms for accounts and a person's own data."""

from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.accounts.backends import STAFF_PASSWORD_REFUSED, staff_password_allowed

# The word a person types to delete their data: in their language, since
# they type what the page asks for.
DELETE_CONFIRMATION = gettext_lazy("delete")


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text=gettext_lazy("Optional; needed only to reset a forgotten password."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class DeleteDataForm(forms.Form):
    confirm = forms.CharField(max_length=20)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _('Type "%(word)s" to confirm') % {
            "word": DELETE_CONFIRMATION
        }

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        # The English word works in every language, for whoever knows it.
        if value not in {str(DELETE_CONFIRMATION).lower(), "delete"}:
            raise forms.ValidationError(
                _('Type the word "%(word)s" to confirm.') % {"word": DELETE_CONFIRMATION}
            )
        return value


def staff_password_refusal() -> str:
    return _(
        "HR admins and managers sign in with %(provider)s, not with a "
        "password: use “Sign in with %(provider)s” on the sign-in page."
    ) % {"provider": settings.OIDC_PROVIDER_NAME}


class StaffPasswordRefusalMessage:
    """Says why a staff member's right password was refused (the backend
    marks the request), rather than calling it wrong."""

    request: HttpRequest | None

    def get_invalid_login_error(self) -> forms.ValidationError:
        if getattr(self.request, STAFF_PASSWORD_REFUSED, False):
            return forms.ValidationError(staff_password_refusal(), code="staff_password_refused")
        return super().get_invalid_login_error()  # type: ignore[misc]


class SignInForm(StaffPasswordRefusalMessage, AuthenticationForm):
    pass


class AdminSignInForm(StaffPasswordRefusalMessage, AdminAuthenticationForm):
    pass


class ResetPasswordForm(PasswordResetForm):
    """No reset link for staff who must sign in through single sign-on: a
    password they could not use would only be one more secret to steal.
    The page that follows is the same, so it tells nobody who is staff."""

    def get_users(self, email: str) -> Iterator[User]:
        return (user for user in super().get_users(email) if staff_password_allowed(user))
