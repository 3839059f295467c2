from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.models import Preference
from assessments.models.preferences import time_zone_names


class PreferenceForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("As my browser says")), *settings.LANGUAGES],
        help_text=_("The language of every page you read while signed in, and of our emails."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        # The zones' names are the database's (Europe/Berlin), in no language.
        widget=forms.Select(attrs={"translate": "no"}),
        help_text=_("Dates and times on your pages, in your emails and in your exports."),
    )

    class Meta:
        model = Preference
        fields = ["language", "time_zone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisation = settings.TIME_ZONE
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = [
            ("", _("The organisation's (%(zone)s)") % {"zone": organisation}),
            *((name, name.replace("_", " ")) for name in time_zone_names()),
        ]


class LanguageForm(forms.Form):
    """The switcher on every page: one button per language."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)
