"""Forms of the HR area: they validate and normalise, services write."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.cohorts import csv_import, emails, reminders
from assessments.cohorts.services import unapproved_bank_message
from assessments.languages import language_name, site_languages
from assessments.models import BankVersion, Cohort, ManagerInvitation, Participant, Team
from assessments.models.cohorts import MAX_RETENTION_MONTHS, MIN_GROUP_SIZE_FLOOR

DATE_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _filled(text, values) -> str:
    """A translated text with its values, put together when it is shown, in
    the reader's language (``values`` may be a function of no arguments)."""
    return text % (values() if callable(values) else values)


# A form's label or help text with values, translated when a page shows it.
filled = lazy(_filled, str)


def _time_zone_now() -> dict[str, str]:
    """The time zone a form reads times in: the reader's (their own, else the organisation's)."""
    return {"zone": timezone.get_current_timezone_name()}


def email_field(model, **kwargs) -> forms.EmailField:
    """An email field as long as the model's column: a form EmailField takes
    320 characters, and PostgreSQL refuses more than the column's 254."""
    limit = model._meta.get_field("email").max_length
    return forms.EmailField(
        max_length=limit,
        error_messages={
            "max_length": _(
                "An email address can be at most %(limit_value)d characters long; "
                "this one has %(show_value)d."
            )
        },
        **kwargs,
    )


class TeamNamesField(forms.CharField):
    """Team names, one per line; new names become new teams of the organisation."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        # A list of names where CharField would give one string.
        text = super().to_python(value) or ""
        # Checked here: the NUL check of CharField sees the list this returns,
        # not the text, and PostgreSQL refuses a NUL in a team's name.
        if "\x00" in text:
            raise ValidationError(
                gettext(
                    "A team name cannot contain a NUL character (a zero byte); remove it and "
                    "try again."
                )
            )
        names: list[str] = []
        for line in text.splitlines():
            name = line.strip()
            if name and name.lower() not in {n.lower() for n in names}:
                if len(name) > 100:
                    raise ValidationError(
                        gettext("Team names are at most 100 characters: %(name)s…")
                        % {"name": name[:30]}
                    )
                names.append(name)
        return names


class TeamsField(forms.ModelMultipleChoiceField):
    """Team checkboxes that refuse ids no database integer can hold, before
    they reach a query (SQLite raises OverflowError on them)."""

    def clean(self, value):
        for pk in value or []:
            text = str(pk)
            if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit() and len(text) <= 18):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super().clean(value)


class VersionChoiceField(forms.ModelChoiceField):
    """Says which versions a cohort that is not identified may not use yet."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.confidential_use:
            return str(obj)
        return gettext(
            "%(version)s: identified cohorts only, until a second HR admin approves it"
        ) % {"version": obj}


class CohortForm(forms.ModelForm):
    existing_teams = TeamsField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Teams taking part"),
        help_text=_("Teams belong to the organisation and carry over from cohort to cohort."),
    )
    new_teams = TeamNamesField(
        required=False, label=_("New teams"), help_text=_("One team name per line.")
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "description",
            "bank_version",
            "opens_at",
            "closes_at",
            "min_group_size",
            "identified",
        ]
        widgets = {
            "opens_at": DATE_INPUT,
            "closes_at": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"bank_version": VersionChoiceField}
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "bank_version": _("Question bank version"),
            "opens_at": _("Opens at"),
            "closes_at": _("Closes at"),
            "min_group_size": _("Minimum group size for reporting"),
            "identified": _("Identified cohort: HR may see who scored what"),
        }
        # The times are read in the reader's time zone, as every HR page shows them.
        help_texts = {
            "bank_version": _(
                "A version your organisation wrote can be used in a cohort that is not "
                "identified once a second HR admin has read and approved it."
            ),
            "opens_at": filled(
                _("Optional; time zone %(zone)s. Links work from then on."), _time_zone_now
            ),
            "closes_at": filled(
                _("Optional; time zone %(zone)s. Links stop working then."), _time_zone_now
            ),
            "min_group_size": filled(
                _(
                    "No aggregate is shown for a group with fewer results "
                    "(at least %(floor)s). Fixed once anyone has started answering. "
                    "The price of the protection: a team's figures are updated only when this "
                    "many more have completed, and until a team has twice this many they show "
                    "each mean to the nearest 5 points and nothing else. With 5, a team of 8 "
                    "sees the mean of its first 5 people."
                ),
                {"floor": MIN_GROUP_SIZE_FLOOR},
            ),
            "identified": _(
                "For example for a development programme. Participants are told before they "
                "start. It can only be chosen now, when the cohort is created."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        versions = BankVersion.objects.published().select_related("bank")
        cast(forms.ModelChoiceField, self.fields["bank_version"]).queryset = versions
        if not self.instance.pk and not self.is_bound:
            published = list(versions.values_list("pk", flat=True)[:2])
            # The only choice there is, chosen already (a new cohort's own
            # initial value is None, hence not setdefault).
            if len(published) == 1 and self.initial.get("bank_version") is None:
                self.initial["bank_version"] = published[0]
        # The browser's hint only; clean_min_group_size holds the floor.
        self.fields["min_group_size"].widget.attrs["min"] = MIN_GROUP_SIZE_FLOOR
        for name in ("opens_at", "closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = ["%Y-%m-%dT%H:%M"]
        if self.instance.pk:
            self.fields["existing_teams"].initial = self.instance.teams.all()
            if self.instance.identified:
                self.fields["identified"].disabled = True
            else:
                del self.fields["identified"]

    def clean_min_group_size(self) -> int:
        value = self.cleaned_data["min_group_size"]
        if value < MIN_GROUP_SIZE_FLOOR:
            raise ValidationError(
                gettext("The minimum group size is at least %(floor)s.")
                % {"floor": MIN_GROUP_SIZE_FLOOR}
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", gettext("The cohort must close after it opens."))
        if not cleaned.get("existing_teams") and not cleaned.get("new_teams"):
            self.add_error("new_teams", gettext("Choose at least one team, or name a new one."))
        version: BankVersion | None = cleaned.get("bank_version")
        identified = cleaned.get("identified", self.instance.identified)
        if (
            version is not None
            and version.pk != self.instance.bank_version_id
            and not identified
            and not version.confidential_use
        ):
            self.add_error("bank_version", unapproved_bank_message(version))
        return cleaned

    def settings(self) -> dict:
        """The cohort's fields, for the create and update services."""
        fields = self._meta.fields or ()
        return {name: self.cleaned_data[name] for name in fields if name in self.fields}


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each named in the reader's language."""
    return [(code, language_name(code)) for code in site_languages()]


class ParticipantForm(forms.Form):
    name = forms.CharField(
        max_length=Participant._meta.get_field("name").max_length, label=_("Name")
    )
    email = email_field(Participant, label=_("Email"))
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), empty_label=_("Choose a team"), label=_("Team")
    )
    language = forms.ChoiceField(
        choices=lambda: [("", gettext("The organisation's")), *language_choices()],
        required=False,
        label=_("Language"),
        help_text=_(
            "The language of this person's invitation and reminders. They can still switch "
            "language on the site."
        ),
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class ParticipantFilterForm(forms.Form):
    """What HR narrows a cohort's list of people by: read from the page's
    query string, each field checked on its own so that one bad value does
    not drop the others."""

    q = forms.CharField(
        label=_("Name or email"),
        max_length=Participant._meta.get_field("name").max_length,
        required=False,
        widget=forms.SearchInput(attrs={"class": "form-control"}),
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": _("Choose a status from the list; this one was left out.")
        },
    )
    team = forms.ChoiceField(
        label=_("Team"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": _("Choose one of this cohort's teams; this one was left out.")
        },
    )

    def __init__(
        self, *args, teams: list[Team], stages: Mapping[str, "str | Promise"], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [("", gettext("Everyone")), *stages.items()]
        team = cast(forms.ChoiceField, self.fields["team"])
        team.choices = [
            ("", gettext("Every team")),
            *((pk, t.name) for pk, t in self.teams.items()),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters, as ``selectors.participants_page`` takes them."""
        if not self.is_valid():
            for name in self.errors:
                field = self.fields[name]
                field.widget.attrs["class"] += " is-invalid"
                field.widget.attrs["aria-describedby"] = f"{name}-error"
        data = self.cleaned_data
        return {
            "search": data.get("q", ""),
            "stage": data.get("status", ""),
            "team": self.teams.get(data.get("team", "")),
        }


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=filled(
            _(
                "Columns name, email and team, with those words on the first line. "
                "UTF-8, at most %(limit)s MB."
            ),
            {"limit": csv_import.MAX_BYTES // 1024 // 1024},
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            raise ValidationError(
                gettext("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": number_format(upload.size / 1024 / 1024, 1),
                    "limit": csv_import.MAX_BYTES // 1024 // 1024,
                }
            )
        return upload


class ManagerForm(forms.Form):
    email = email_field(
        ManagerInvitation,
        label=_("Manager's email"),
        help_text=_("If they have no account yet, they get an email invitation to create one."),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Team name"))

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Team.objects.filter(name__iexact=name).exists():
            raise ValidationError(gettext("A team with this name exists already."))
        return name


class ReminderDaysField(forms.CharField):
    """Days before the close, as HR types them: "7, 3, 0"."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        days: list[int] = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or int(part) > reminders.MAX_DAYS_BEFORE:
                raise ValidationError(
                    gettext("“%(text)s” is not a number of days from 0 (the last day) to %(most)s.")
                    % {"text": part[:20], "most": reminders.MAX_DAYS_BEFORE}
                )
            if int(part) not in days:
                days.append(int(part))
        if len(days) > reminders.MAX_REMINDERS:
            raise ValidationError(
                gettext("At most %(count)s scheduled reminders.")
                % {"count": reminders.MAX_REMINDERS}
            )
        return sorted(days, reverse=True)


class CohortScheduleForm(forms.Form):
    """A cohort's scheduled reminders, their text, and its retention rule."""

    days_before = ReminderDaysField(
        required=False,
        label=_("Send reminders this many days before the close"),
        help_text=_(
            "For example “3, 0”: three days before the last day, and on the last day. "
            "Empty for no scheduled reminders."
        ),
    )
    reminder_time = forms.TimeField(
        label=pgettext_lazy("reminder time", "At"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M"],
        # The organisation's: the schedule is the cohort's, not the reader's.
        help_text=filled(_("Time zone %(zone)s."), {"zone": settings.TIME_ZONE}),
    )
    reminder_limit = forms.IntegerField(
        min_value=1,
        max_value=10,
        label=_("At most this many reminders per person"),
        help_text=_("Counting reminders sent by hand and on schedule."),
    )
    reminder_subject = forms.CharField(
        max_length=Cohort._meta.get_field("reminder_subject").max_length,
        label=pgettext_lazy("email", "Subject"),
    )
    reminder_body = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        label=pgettext_lazy("email", "Text"),
    )
    retention_months = forms.IntegerField(
        min_value=1,
        max_value=MAX_RETENTION_MONTHS,
        label=_("Months after the cohort ends"),
    )
    retention_action = forms.ChoiceField(
        choices=Cohort.Retention.choices,
        widget=forms.RadioSelect,
        label=pgettext_lazy("retention", "Then"),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs) -> None:
        pending = cohort.scheduled_reminders.filter(done_at__isnull=True)
        kwargs.setdefault(
            "initial",
            {
                "days_before": ", ".join(
                    str(d) for d in pending.values_list("days_before", flat=True)
                ),
                "reminder_time": cohort.reminder_time,
                "reminder_limit": cohort.reminder_limit,
                "reminder_subject": cohort.reminder_subject or emails.DEFAULT_REMINDER_SUBJECT,
                "reminder_body": cohort.reminder_body or emails.DEFAULT_REMINDER_BODY,
                "retention_months": cohort.retention_months,
                "retention_action": cohort.retention_action,
            },
        )
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        if cohort.status == Cohort.Status.CLOSED:
            for name in (
                "days_before",
                "reminder_time",
                "reminder_limit",
                "reminder_subject",
                "reminder_body",
            ):
                self.fields[name].disabled = True

    def _text(self, name: str) -> str:
        text = self.cleaned_data[name].replace("\r\n", "\n")
        unknown = emails.unknown_placeholders(text)
        if unknown:
            known = ", ".join(f"{{{word}}}" for word in emails.PLACEHOLDERS)
            raise ValidationError(
                gettext("%(unknown)s stands for nothing; the text may use %(known)s.")
                % {"unknown": ", ".join("{" + word + "}" for word in unknown), "known": known}
            )
        return text

    def clean_reminder_subject(self) -> str:
        return self._text("reminder_subject").strip()

    def clean_reminder_body(self) -> str:
        text = self._text("reminder_body")
        if "{link}" not in text:
            raise ValidationError(gettext("The text needs {link}: without it nobody can answer."))
        return text

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        days = cleaned.get("days_before") or []
        if days and self.cohort.closes_at is None:
            self.add_error(
                "days_before",
                gettext(
                    "The cohort has no closing time: set one in its settings to schedule reminders."
                ),
            )
        elif days and "reminder_time" in cleaned:
            trial = Cohort(
                opens_at=self.cohort.opens_at,
                closes_at=self.cohort.closes_at,
                reminder_time=cleaned["reminder_time"],
            )
            for day in days:
                if problem := reminders.reminder_problem(trial, day):
                    reminder = ngettext(
                        "The reminder %(days)s day before: %(problem)s",
                        "The reminder %(days)s days before: %(problem)s",
                        day,
                    )
                    self.add_error("days_before", reminder % {"days": day, "problem": problem})
        return cleaned

    def settings(self) -> dict[str, Any]:
        """The fields as ``reminders.cohort_schedule_update`` takes them; a
        text left as the default is stored as none, so it stays the default."""
        data = dict(self.cleaned_data)
        if data["reminder_subject"] == emails.DEFAULT_REMINDER_SUBJECT:
            data["reminder_subject"] = ""
        if data["reminder_body"].strip() == emails.DEFAULT_REMINDER_BODY.strip():
            data["reminder_body"] = ""
        return data
