from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypedDict

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils.translation import gettext as _

from assessments.content import scoring
from assessments.languages import current_language
from assessments.models import Item

ITEM_PREFIX = "item_"
REPEATED_ITEM = "repeated_item"
UNEXPECTED_ITEM = "unexpected_item"


def item_field_name(item: Item) -> str:
    return f"{ITEM_PREFIX}{item.pk}"


Answer = tuple[int, str, str]  # (value, text as shown, the language of that text)


def _answers(item: Item, likert: list[Answer], language: str) -> list[Answer]:
    """A question's answers in ``language``, the reader's: a statement's five
    (``likert``), or a scenario's responses in the order written, whose value is
    the response's number (``ItemOption.order``; the options must have been read,
    as ``selectors.version_items`` does). A response without a translation keeps
    its source text, and says which language that is, for the page's ``lang``."""
    if not item.is_scenario:
        return likert
    return [
        (option.order, option.translated("text", language), option.shown_language("text", language))
        for option in item.options.all()
    ]


def _question_field(
    item: Item, required: bool, answers: list[Answer], language: str
) -> forms.TypedChoiceField:
    """One radio group, whose choices are the question's answers."""
    if item.is_scenario:
        messages = (_("Choose what you would most likely do."), _("Choose one of the responses."))
    else:
        messages = (_("Choose an answer to this question."), _("Choose one of the five answers."))
    return forms.TypedChoiceField(
        label=item.translated("text", language),
        choices=[(value, text) for value, text, _language in answers],
        coerce=int,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": messages[0], "invalid_choice": messages[1]},
    )


class Option(TypedDict):
    """One radio button as the page writes it (a dict: the template's fastest lookup)."""

    value: int
    label: str
    id: str
    checked: bool
    lang: str  # the label's language where it is not the page's, else ""


@dataclass(frozen=True)
class Question:
    """One question as the page shows it: its text (with its language where that is not
    the page's), the radio buttons of its answers, and its field for the errors."""

    item: Item
    field: forms.BoundField
    text: str
    lang: str
    options: list[Option]


class AnswersForm(forms.Form):
    """The answers on one page of the assessment, one radio group per item:
    the five-point scale for a statement, the responses for a scenario.

    Going forward needs every question on the page answered; going back keeps
    whatever was answered without asking for the rest.
    """

    def __init__(self, *args, items: list[Item], require_all: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.language = current_language()
        # The five answers' names, translated once a page rather than once a question.
        likert = [
            (value, str(label), self.language) for value, label in scoring.LIKERT_LABELS.items()
        ]
        self.item_answers = {item.pk: _answers(item, likert, self.language) for item in items}
        for item in items:
            self.fields[item_field_name(item)] = _question_field(
                item, require_all, self.item_answers[item.pk], self.language
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # A radio group sends one value; a question sent twice (even with the
        # same value) is not from this page, and taking the last value would
        # store an answer the person may never have seen.
        if isinstance(self.data, QueryDict) and any(
            len(self.data.getlist(key)) > 1 for key in self.data if key.startswith(ITEM_PREFIX)
        ):
            raise forms.ValidationError(
                _(
                    "The form answered the same question more than once, so nothing was saved. "
                    "Reload the page and answer again."
                ),
                code=REPEATED_ITEM,
            )
        expected = set(self.fields)
        unexpected = [
            key for key in self.data if key.startswith(ITEM_PREFIX) and key not in expected
        ]
        if unexpected:
            raise forms.ValidationError(
                _(
                    "The form had answers to questions that are not on this page. "
                    "Reload the page and answer again."
                ),
                code=UNEXPECTED_ITEM,
            )
        return cleaned

    def is_forged(self) -> bool:
        """Refused for something no browser sends from the page as served."""
        return any(
            self.has_error(NON_FIELD_ERRORS, code) for code in (REPEATED_ITEM, UNEXPECTED_ITEM)
        )

    def answers(self) -> dict[int, int]:
        """Item id -> value for every answered question."""
        return {
            item.pk: self.cleaned_data[item_field_name(item)]
            for item in self.items
            if self.cleaned_data.get(item_field_name(item)) not in (None, "")
        }

    @cached_property
    def questions(self) -> list[Question]:
        """The page's questions, their radio buttons written out here rather than by
        the widget: the same names, values and ids as RadioSelect's, at a fraction of
        the cost of its subwidgets on the page participants load most. Worked out once:
        the page reads it for its error summary too."""
        language = self.language
        questions = []
        for item in self.items:
            field = self[item_field_name(item)]
            chosen = set(field.field.widget.format_value(field.value()))
            options: list[Option] = [
                {
                    "value": value,
                    "label": label,
                    "id": f"{field.auto_id}_{index}",
                    "checked": str(value) in chosen,
                    "lang": shown if shown != language else "",
                }
                for index, (value, label, shown) in enumerate(self.item_answers[item.pk])
            ]
            shown = item.shown_language("text", language)
            questions.append(
                Question(
                    item=item,
                    field=field,
                    text=item.translated("text", language),
                    lang=shown if shown != language else "",
                    options=options,
                )
            )
        return questions
