"""Forms for managing question banks: they validate and normalise, never save."""

import json
from typing import Any, cast

from django import forms
from django.utils.text import Truncator

from assessments.banks.rules import BankFormatError, option_problem, validate_bank_data
from assessments.content import scoring
from assessments.content.article import PASSAGES
from assessments.content.guidance import DIMENSION_GUIDANCE
from assessments.models import Bank, BankVersion, Dimension, Item, ItemOption, Pole

MAX_IMPORT_BYTES = 1024 * 1024
MAX_ORDER = 9999
MAX_NOTES_LENGTH = 2000


def passage_choices() -> list[tuple[str, str]]:
    quotes = [(key, f"{key}: “{Truncator(quote).chars(70)}”") for key, quote in PASSAGES.items()]
    return [("", "None")] + quotes


class BankCreateForm(forms.Form):
    name = forms.CharField(max_length=Bank._meta.get_field("name").max_length)
    slug = forms.SlugField(
        max_length=Bank._meta.get_field("slug").max_length,
        help_text="A short name for files and links: letters, digits, hyphens and underscores.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notes = forms.CharField(
        label="Notes on version 1",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Bank.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                "A bank already uses this slug. Choose another, or make a new draft of that bank."
            )
        return slug


class VersionNotesForm(forms.Form):
    """A draft's notes and its settings, the things about a version that are not items."""

    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        help_text="What changed in this version and why.",
    )
    shuffle_items = forms.BooleanField(
        label="Show the statements in a random order, fixed for each person's attempt",
        required=False,
        help_text=(
            "Each attempt gets its own order when it starts and keeps it through Back, "
            "reloads and coming back later. Scores do not depend on the order."
        ),
    )


class _ItemFieldsForm(forms.ModelForm):
    """What statements and scenarios share: the text, dimension, passage and
    position. Positions are unique within the version."""

    text_label = "Statement"
    text_help = "A statement the person agrees or disagrees with."
    text_missing = "Write the statement."

    class Meta:
        model = Item
        fields = ["text", "dimension", "passage", "order"]
        labels = {"order": "Position", "passage": "Article passage"}
        help_texts = {
            "order": "Where the item comes in the assessment (unless the version shows its "
            "statements in a random order); each position is used once.",
            "passage": "The passage of the article the item comes from, if any.",
        }
        widgets: dict[str, Any] = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["text"].label = self.text_label
        self.fields["text"].help_text = self.text_help
        self.fields["text"].error_messages["required"] = self.text_missing
        dimension = cast(forms.ModelChoiceField, self.fields["dimension"])
        dimension.queryset = Dimension.objects.all()
        dimension.empty_label = None
        if "passage" in self.fields:
            self.fields["passage"] = forms.ChoiceField(
                label="Article passage",
                choices=passage_choices(),
                required=False,
                help_text=self.Meta.help_texts["passage"],
            )
        # The browser's hint only; clean_order holds the bounds.
        self.fields["order"].widget.attrs.update(min=1, max=MAX_ORDER)
        if self.instance.pk is None and not self.is_bound:
            highest = max(version.items.values_list("order", flat=True), default=0)
            self.initial["order"] = min(highest + 1, MAX_ORDER)

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(self.text_missing)
        return text

    def clean_order(self) -> int:
        order = self.cleaned_data["order"]
        if not 1 <= order <= MAX_ORDER:
            raise forms.ValidationError(f"Choose a position from 1 to {MAX_ORDER}.")
        taken = self.version.items.filter(order=order).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                f"Position {order} is taken by “{Truncator(taken.text).chars(60)}”. "
                "Choose a free position, or move items with the arrows in the list."
            )
        return order

    def item_fields(self) -> dict[str, Any]:
        """The cleaned values, as the item services take them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ItemForm(_ItemFieldsForm):
    """A statement of a draft, keyed to one pole."""

    class Meta(_ItemFieldsForm.Meta):
        fields = ["text", "dimension", "pole", "passage", "order"]
        widgets = {**_ItemFieldsForm.Meta.widgets, "pole": forms.RadioSelect}

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, version=version, **kwargs)
        pole = cast(forms.ChoiceField, self.fields["pole"])
        pole.choices = Pole.choices
        pole.required = True
        pole.label = "Keyed to"
        pole.help_text = (
            "Agreeing with the statement moves a person toward this end of the spectrum."
        )


class ScenarioForm(_ItemFieldsForm):
    """A scenario of a draft: a work situation and two to four responses,
    each placed on the spectrum. Rows left empty are not responses."""

    text_label = "Situation"
    text_help = (
        "A work situation the person can picture; the page asks them what they would most "
        "likely do."
    )
    text_missing = "Describe the situation."

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, version=version, **kwargs)
        initial = list(self.instance.options.all()) if self.instance.pk else []
        for number in range(1, scoring.MAX_OPTIONS + 1):
            option = initial[number - 1] if number <= len(initial) else None
            self.fields[f"response_{number}"] = forms.CharField(
                label=f"Response {number}",
                max_length=ItemOption._meta.get_field("text").max_length,
                required=False,
                initial=option.text if option else "",
            )
            self.fields[f"position_{number}"] = forms.IntegerField(
                label=f"Where response {number} sits",
                min_value=0,
                max_value=100,
                required=False,
                initial=option.position if option else None,
                help_text="0 is the seller end, 100 the leader end.",
                error_messages={
                    "min_value": "Choose a place from 0 (seller end) to 100 (leader end).",
                    "max_value": "Choose a place from 0 (seller end) to 100 (leader end).",
                    "invalid": "Write a whole number from 0 to 100.",
                },
            )

    def response_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"response_{number}"], self[f"position_{number}"])
            for number in range(1, scoring.MAX_OPTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        options: list[tuple[str, int]] = []
        for number in range(1, scoring.MAX_OPTIONS + 1):
            text = " ".join((cleaned.get(f"response_{number}") or "").split())
            position = cleaned.get(f"position_{number}")
            if f"position_{number}" in self.errors:
                continue
            if text and position is None:
                self.add_error(f"position_{number}", f"Say where response {number} sits.")
            elif position is not None and not text:
                self.add_error(
                    f"response_{number}", f"Write response {number}, or clear its place."
                )
            elif text and position is not None:
                options.append((text, position))
        if self.errors:
            return cleaned
        if len(options) < scoring.MIN_OPTIONS:
            raise forms.ValidationError(
                f"Write at least {scoring.MIN_OPTIONS} responses, each with its place."
            )
        problem = option_problem(options, where="The responses")
        if problem:
            raise forms.ValidationError(problem)
        cleaned["options"] = options
        return cleaned

    def item_fields(self) -> dict[str, Any]:
        return {**super().item_fields(), "options": self.cleaned_data["options"]}


class AttentionCheckForm(_ItemFieldsForm):
    """An attention check of a draft: a statement that asks for one answer
    ("To show you are reading, choose Disagree here"). It is never scored;
    answered otherwise, it marks the result as careless."""

    text_label = "Check statement"
    text_help = (
        "Say in the statement which answer to choose, for example: “To show you are reading "
        "each statement, choose Disagree here.”"
    )
    text_missing = "Write the check statement."

    class Meta(_ItemFieldsForm.Meta):
        fields = ["text", "dimension", "expected", "order"]
        widgets = {**_ItemFieldsForm.Meta.widgets, "expected": forms.RadioSelect}

    def __init__(self, *args, version: BankVersion, **kwargs) -> None:
        super().__init__(*args, version=version, **kwargs)
        expected = forms.TypedChoiceField(
            label="The answer it asks for",
            choices=list(scoring.LIKERT_LABELS.items()),
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the answer the statement asks for."},
        )
        self.fields["expected"] = expected
        self.fields["dimension"].label = "Listed with"
        self.fields[
            "dimension"
        ].help_text = "Only where it is listed here; it is not scored in any difference."


class BankImportForm(forms.Form):
    """An uploaded bank file: at most 1 MB of UTF-8 JSON in the bank format."""

    file = forms.FileField(
        label="Bank file (JSON)",
        help_text="A file exported from this product, or written in the same format; at most 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 1 MB."
            )
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
                "Save it as UTF-8 and upload it again."
            ) from error
        if not text.strip():
            raise forms.ValidationError("The file is empty.")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"The file is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}."
            ) from error
        except RecursionError as error:
            raise forms.ValidationError("The file is not valid JSON: it nests too deeply.") from (
                error
            )
        try:
            validate_bank_data(data)
        except BankFormatError as error:
            raise forms.ValidationError(
                f"The file is not a question bank in the expected format: {error}"
            ) from error
        unknown = [d["key"] for d in data["dimensions"] if d["key"] not in DIMENSION_GUIDANCE]
        if unknown:
            raise forms.ValidationError(
                f"The file has dimensions the product does not know: {', '.join(unknown)}. "
                f"The dimensions are {', '.join(DIMENSION_GUIDANCE)}."
            )
        return data
