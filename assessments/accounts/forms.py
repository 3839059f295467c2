"""Forms for accounts and a person's own data."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

DELETE_CONFIRMATION = "delete"


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional; needed only to reset a forgotten password.",
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class DeleteDataForm(forms.Form):
    confirm = forms.CharField(
        label=f'Type "{DELETE_CONFIRMATION}" to confirm',
        max_length=20,
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != DELETE_CONFIRMATION:
            raise forms.ValidationError(f'Type the word "{DELETE_CONFIRMATION}" to confirm.')
        return value
