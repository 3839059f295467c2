"""Forms for managing question banks: they validate and normalise, never save."""

import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from assessments.banks.rules import (
    BankFormatError,
    option_problem,
    validate_bank_data,
)
from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.content.guidance import DIMENSION_GUIDANCE
from assessments.languages import language_label
from assessments.models import Bank, BankVersion, Dimension, Item, ItemOption
from assessments.models.banks import without_invisible

MAX_IMPORT_BYTES = 1024 * 1024
MAX_ORDER = 9999
MAX_NOTES_LENGTH = 2000


def passage_choices() -> list[tuple[str, str]]:
    # The quotes stay in the article's English words.
    quotes = [(key, f"{key}: “{Truncator(quote).chars(70)}”") for key, quote in PASSAGES.items()]
    return [("", _("None"))] + quotes


class PassageSelect(forms.Select):
    """The article's passages, quoted in the author's English words, each
    option marked as English for a page in another language."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["lang"] = "en"
        return option


def _one_line(text: str | None) -> str:
    """One line of visible text: no invisible characters, single spaces."""
    return " ".join(without_invisible(text or "").split())


class BankCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=Bank._meta.get_field("name").max_length
    )
    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        max_length=Bank._meta.get_field("slug").max_length,
        help_text=gettext_lazy(
            "A short name for files and links: letters, digits, hyphens and underscores."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes on version 1"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Bank.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _(
                    "A bank already uses this slug. Choose another, or make a new draft of "
                    "that bank."
                )
            )
        return slug


class LanguageCheckboxes(forms.CheckboxSelectMultiple):
    """The site's languages as checkboxes; the version's own is ticked and
    cannot be unticked (the form adds it whatever is sent)."""

    def __init__(self, *args, fixed: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fixed = fixed

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == self.fixed:
            option["selected"] = True
            option["attrs"]["checked"] = True
            option["attrs"]["disabled"] = True
        return option


class VersionNotesForm(forms.Form):
    """A draft's notes and its settings, the things about a version that are not items."""

    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        help_text=gettext_lazy("What changed in this version and why."),
    )
    shuffle_items = forms.BooleanField(
        label=gettext_lazy(
            "Show the statements in a random order, fixed for each person's attempt"
        ),
        required=False,
        help_text=gettext_lazy(
            "Each attempt gets its own order when it starts and keeps it through Back, "
            "reloads and coming back later. Scores do not depend on the order."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Offered in"),
        required=False,
        help_text=gettext_lazy(
            "People take the version in these languages. It is published only once every "
            "item, response and dimension has a text in each. Texts of a language you untick "
            "are kept until the version is published."
        ),
    )

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "notes": version.notes,
                "shuffle_items": version.shuffle_items,
                "languages": list(version.languages),
            },
        )
        super().__init__(*args, **kwargs)
        self.version = version
        languages = cast(forms.MultipleChoiceField, self.fields["languages"])
        languages.choices = [(code, language_label(code)) for code, _name in settings.LANGUAGES]
        languages.widget = LanguageCheckboxes(choices=languages.choices, fixed=version.language)

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data["languages"]) | {self.version.language}
        # In the site's order, the version's own first.
        ordered = [code for code, _name in settings.LANGUAGES if code in chosen]
        return [self.version.language] + [c for c in ordered if c != self.version.language]


class _TranslationFields:
    """One text field per language the version offers besides its own,
    beside each source text: ``text_de`` for the item, ``response_2_de``
    for a scenario's second response."""

    version: BankVersion
    fields: dict[str, forms.Field]

    @property
    def other_languages(self) -> list[str]:
        return [code for code in self.version.languages if code != self.version.language]

    def _translation_field(
        self, source: forms.Field, initial: str, *, label: Any, language: str
    ) -> forms.CharField:
        return forms.CharField(
            label=label,
            max_length=cast(forms.CharField, source).max_length,
            required=False,
            initial=initial,
            widget=forms.Textarea(attrs={"rows": 3, "lang": language})
            if isinstance(source.widget, forms.Textarea)
            else forms.TextInput(attrs={"lang": language}),
        )

    @staticmethod
    def _stored(row: Any, language: str) -> str:
        if row is None:
            return ""
        return (row.translations or {}).get(language, {}).get("text", "")


class _ItemFieldsForm(_TranslationFields, forms.ModelForm):
    """What statements and scenarios share: the text, with its translations
    beside it, dimension, passage and position. Positions are unique within
    the version."""

    text_label: Any = gettext_lazy("Statement")
    text_help: Any = gettext_lazy("A statement the person agrees or disagrees with.")
    text_missing: Any = gettext_lazy("Write the statement.")

    class Meta:
        model = Item
        fields = ["text", "dimension", "passage", "order"]
        labels = {
            "order": gettext_lazy("Position"),
            "passage": gettext_lazy("Article passage"),
            "dimension": gettext_lazy("Dimension"),
        }
        help_texts = {
            "order": gettext_lazy(
                "Where the item comes in the assessment (unless the version shows its "
                "statements in a random order); each position is used once."
            ),
            "passage": gettext_lazy("The passage of the article the item comes from, if any."),
        }
        widgets: dict[str, Any] = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["text"].label = self.text_label
        self.fields["text"].help_text = self.text_help
        self.fields["text"].error_messages["required"] = self.text_missing
        dimension = cast(forms.ModelChoiceField, self.fields["dimension"])
        dimension.queryset = Dimension.objects.all()
        dimension.empty_label = None
        dimension.label_from_instance = lambda d: d.local_name  # type: ignore[method-assign,assignment]
        if "passage" in self.fields:
            self.fields["passage"] = forms.ChoiceField(
                label=gettext_lazy("Article passage"),
                choices=passage_choices(),
                widget=PassageSelect,
                required=False,
                help_text=self.Meta.help_texts["passage"],
            )
        # The browser's hint only; clean_order holds the bounds.
        self.fields["order"].widget.attrs.update(min=1, max=MAX_ORDER)
        if self.instance.pk is None and not self.is_bound:
            highest = max(version.items.values_list("order", flat=True), default=0)
            self.initial["order"] = min(highest + 1, MAX_ORDER)
        # Each translation right after the source text it translates, each
        # field marked with its language (screen readers, spelling).
        self.fields["text"].widget.attrs["lang"] = version.language
        instance = self.instance if self.instance.pk else None
        for language in self.other_languages:
            self.fields[f"text_{language}"] = self._translation_field(
                self.fields["text"],
                self._stored(instance, language),
                language=language,
                label=_("%(field)s (%(language)s)")
                % {"field": self.text_label, "language": language_label(language)},
            )
        order = list(self.fields)
        texts = [f"text_{language}" for language in self.other_languages]
        rest = [name for name in order if name != "text" and name not in texts]
        self.order_fields(["text", *texts, *rest])

    def text_fields(self) -> list[forms.BoundField]:
        """The source text and its translations, for a template that lays out its fields."""
        return [self["text"], *(self[f"text_{code}"] for code in self.other_languages)]

    def clean_text(self) -> str:
        text = _one_line(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(self.text_missing)
        return text

    def clean_order(self) -> int:
        order = self.cleaned_data["order"]
        if not 1 <= order <= MAX_ORDER:
            raise forms.ValidationError(
                _("Choose a position from 1 to %(max)s.") % {"max": MAX_ORDER}
            )
        taken = self.version.items.filter(order=order).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                _(
                    "Position %(order)s is taken by “%(text)s”. Choose a free position, or "
                    "move items with the arrows in the list."
                )
                % {"order": order, "text": Truncator(taken.text).chars(60)}
            )
        return order

    def translations(self) -> dict[str, dict[str, str]]:
        """The item's texts in the other offered languages, as stored
        (an empty one means the language has no text yet)."""
        return {
            language: {"text": _one_line(self.cleaned_data.get(f"text_{language}"))}
            for language in self.other_languages
        }

    def item_fields(self) -> dict[str, Any]:
        """The cleaned values, as the item services take them."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {**fields, "translations": self.translations()}


class ItemForm(_ItemFieldsForm):
    """A statement of a draft, keyed to one pole."""

    class Meta(_ItemFieldsForm.Meta):
        fields = ["text", "dimension", "pole", "passage", "order"]
        widgets = {**_ItemFieldsForm.Meta.widgets, "pole": forms.RadioSelect}

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, version=version, **kwargs)
        pole = cast(forms.ChoiceField, self.fields["pole"])
        pole.choices = [
            (scoring.SELLER, pgettext("pole", "Seller")),
            (scoring.LEADER, pgettext("pole", "Leader")),
        ]
        pole.required = True
        pole.label = _("Keyed to")
        pole.help_text = _(
            "Agreeing with the statement moves a person toward this end of the spectrum."
        )


class ScenarioForm(_ItemFieldsForm):
    """A scenario of a draft: a work situation and two to four responses,
    each placed on the spectrum. Rows left empty are not responses."""

    text_label = gettext_lazy("Situation")
    text_help = gettext_lazy(
        "A work situation the person can picture; the page asks them what they would most "
        "likely do."
    )
    text_missing = gettext_lazy("Describe the situation.")

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, version=version, **kwargs)
        initial = list(self.instance.options.all()) if self.instance.pk else []
        place = _("Choose a place from 0 (seller end) to 100 (leader end).")
        for number in range(1, scoring.MAX_OPTIONS + 1):
            option = initial[number - 1] if number <= len(initial) else None
            self.fields[f"response_{number}"] = forms.CharField(
                label=_("Response %(number)s") % {"number": number},
                max_length=ItemOption._meta.get_field("text").max_length,
                required=False,
                initial=option.text if option else "",
                widget=forms.TextInput(attrs={"lang": version.language}),
            )
            for language in self.other_languages:
                self.fields[f"response_{number}_{language}"] = self._translation_field(
                    self.fields[f"response_{number}"],
                    self._stored(option, language),
                    language=language,
                    label=_("Response %(number)s (%(language)s)")
                    % {"number": number, "language": language_label(language)},
                )
            self.fields[f"position_{number}"] = forms.IntegerField(
                label=_("Where response %(number)s sits") % {"number": number},
                min_value=0,
                max_value=100,
                required=False,
                initial=option.position if option else None,
                help_text=_("0 is the seller end, 100 the leader end."),
                error_messages={
                    "min_value": place,
                    "max_value": place,
                    "invalid": _("Write a whole number from 0 to 100."),
                },
            )

    def response_rows(
        self,
    ) -> list[tuple[forms.BoundField, list[forms.BoundField], forms.BoundField]]:
        """Each response's text, its translations and its place."""
        return [
            (
                self[f"response_{number}"],
                [self[f"response_{number}_{code}"] for code in self.other_languages],
                self[f"position_{number}"],
            )
            for number in range(1, scoring.MAX_OPTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        options: list[tuple[str, int]] = []
        option_translations: list[dict[str, dict[str, str]]] = []
        for number in range(1, scoring.MAX_OPTIONS + 1):
            text = _one_line(cleaned.get(f"response_{number}"))
            position = cleaned.get(f"position_{number}")
            translated = {
                language: _one_line(cleaned.get(f"response_{number}_{language}"))
                for language in self.other_languages
            }
            if f"position_{number}" in self.errors:
                continue
            if text and position is None:
                self.add_error(
                    f"position_{number}",
                    _("Say where response %(number)s sits.") % {"number": number},
                )
            elif position is not None and not text:
                self.add_error(
                    f"response_{number}",
                    _("Write response %(number)s, or clear its place.") % {"number": number},
                )
            elif text and position is not None:
                options.append((text, position))
                option_translations.append(
                    {language: {"text": value} for language, value in translated.items()}
                )
            elif any(translated.values()):
                # A translation of no response: say so rather than drop it.
                language = next(code for code, value in translated.items() if value)
                self.add_error(
                    f"response_{number}_{language}",
                    _("Write response %(number)s itself, or clear this translation.")
                    % {"number": number},
                )
        if self.errors:
            return cleaned
        if len(options) < scoring.MIN_OPTIONS:
            raise forms.ValidationError(
                _("Write at least %(count)s responses, each with its place.")
                % {"count": scoring.MIN_OPTIONS}
            )
        problem = option_problem(options, where=_("The responses"))
        if problem:
            raise forms.ValidationError(problem)
        cleaned["options"] = options
        cleaned["option_translations"] = option_translations
        return cleaned

    def item_fields(self) -> dict[str, Any]:
        return {
            **super().item_fields(),
            "options": self.cleaned_data["options"],
            "option_translations": self.cleaned_data["option_translations"],
        }


class AttentionCheckForm(_ItemFieldsForm):
    """An attention check of a draft: a statement that asks for one answer
    ("To show you are reading, choose Disagree here"). It is never scored;
    answered otherwise, it marks the result as careless."""

    text_label = gettext_lazy("Check statement")
    text_help = gettext_lazy(
        "Say in the statement which answer to choose, for example: “To show you are reading "
        "each statement, choose Disagree here.”"
    )
    text_missing = gettext_lazy("Write the check statement.")

    class Meta(_ItemFieldsForm.Meta):
        fields = ["text", "dimension", "expected", "order"]
        widgets = {**_ItemFieldsForm.Meta.widgets, "expected": forms.RadioSelect}

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, version=version, **kwargs)
        expected = forms.TypedChoiceField(
            label=_("The answer it asks for"),
            choices=list(scoring.LIKERT_LABELS.items()),
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the answer the statement asks for.")},
        )
        self.fields["expected"] = expected
        self.fields["dimension"].label = _("Listed with")
        self.fields["dimension"].help_text = _(
            "Only where it is listed here; it is not scored in any difference."
        )


class BankImportForm(forms.Form):
    """An uploaded bank file: at most 1 MB of UTF-8 JSON in the bank format."""

    file = forms.FileField(
        label=gettext_lazy("Bank file (JSON)"),
        help_text=gettext_lazy(
            "A file exported from this product, or written in the same format; at most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 1 MB.")
                % {"size": number_format(upload.size / 1024 / 1024, 1)}
            )
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _(
                    "The file is not UTF-8 text (byte %(byte)s cannot be read). Save it as "
                    "UTF-8 and upload it again."
                )
                % {"byte": error.start + 1}
            ) from error
        if not text.strip():
            raise forms.ValidationError(_("The file is empty."))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            # The parser's own words (error.msg) come in English.
            raise forms.ValidationError(
                _("The file is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
                % {"problem": error.msg, "line": error.lineno, "column": error.colno}
            ) from error
        except RecursionError as error:
            raise forms.ValidationError(
                _("The file is not valid JSON: it nests too deeply.")
            ) from error
        try:
            validate_bank_data(data)
        except BankFormatError as error:
            raise forms.ValidationError(
                _("The file is not a question bank in the expected format: %(problem)s")
                % {"problem": error}
            ) from error
        unknown = [d["key"] for d in data["dimensions"] if d["key"] not in DIMENSION_GUIDANCE]
        if unknown:
            raise forms.ValidationError(
                _(
                    "The file has dimensions the product does not know: %(unknown)s. "
                    "The dimensions are %(known)s."
                )
                % {"unknown": ", ".join(unknown), "known": ", ".join(DIMENSION_GUIDANCE)}
            )
        return data
