"""Question banks: dimensions, banks, their numbered versions, and items."""

import unicodedata
from typing import overload

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.content import scoring
from assessments.languages import current_language, organisation_language, site_languages


def without_invisible(text: str) -> str:
    """``text`` without Unicode's format characters: zero-width spaces and
    joiners, direction marks, soft hyphens. A text of nothing but these
    looks empty on the page, so it counts as empty wherever a text is
    required (a hostile review published a question that showed as "11. ")."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def is_blank(text: str) -> bool:
    """Whether ``text`` would show as nothing: spaces and invisible characters."""
    return not without_invisible(text).strip()


class LocalText:
    """``local_name = LocalText("name")``: the field's text in the active
    language (``Translated.translated``); with ``language=True``, the language
    that text is in, for a ``lang`` attribute where it fell back."""

    def __init__(self, field: str, *, language: bool = False) -> None:
        self.field, self.language = field, language

    @overload
    def __get__(self, row: None, owner: type) -> "LocalText": ...
    @overload
    def __get__(self, row: "Translated", owner: type) -> str: ...
    def __get__(self, row: "Translated | None", owner: type) -> "LocalText | str":
        if row is None:
            return self
        return row.shown_language(self.field) if self.language else row.translated(self.field)


class Translated(models.Model):
    """A row whose texts come in more than one language: its own fields hold
    the source language's text, ``translations`` the others', as
    ``{"de": {"text": "..."}}``. A translated field falls back to the source
    text when its language has none, and ``shown_language`` says which one a
    page showed, for its ``lang`` attribute."""

    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Texts in other languages than the source, as {"de": {"text": "..."}}.'),
    )

    TRANSLATED_FIELDS: tuple[str, ...] = ()
    SOURCE_LANGUAGE = "en"

    class Meta:
        abstract = True

    def source_language(self) -> str:
        return self.SOURCE_LANGUAGE

    def translated(self, field: str, language: str | None = None) -> str:
        # The source language never has an entry in ``translations``, so this
        # needs no look at the version the source language is set on.
        text = (self.translations or {}).get(language or current_language(), {}).get(field)
        return text or getattr(self, field)

    def shown_language(self, field: str, language: str | None = None) -> str:
        """The language ``translated(field, language)`` is in."""
        language = language or current_language()
        if (self.translations or {}).get(language, {}).get(field):
            return language
        return self.source_language()

    def missing_translations(self, languages: list[str]) -> list[tuple[str, str]]:
        """(language, field) pairs of ``languages`` with no text, in order."""
        return [
            (language, field)
            for language in languages
            if language != self.source_language()
            for field in self.TRANSLATED_FIELDS
            if getattr(self, field)
            and is_blank((self.translations or {}).get(language, {}).get(field) or "")
        ]


class Dimension(Translated):
    """One of the article's three differences between selling and leading."""

    TRANSLATED_FIELDS = ("name", "seller_pole", "leader_pole", "summary")

    key = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    seller_pole = models.CharField(max_length=200)
    leader_pole = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    local_name = LocalText("name")
    local_seller_pole = LocalText("seller_pole")
    local_leader_pole = LocalText("leader_pole")
    local_summary = LocalText("summary")


class Bank(Translated):
    """A question bank; its content lives in numbered versions. Its name and
    description may come in other languages, as its versions' items do."""

    TRANSLATED_FIELDS = ("name", "description")

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    local_name = LocalText("name")
    local_description = LocalText("description")
    local_description_language = LocalText("description", language=True)


class BankVersionQuerySet(models.QuerySet):
    def published(self) -> "BankVersionQuerySet":
        return self.filter(status=BankVersion.Status.PUBLISHED)

    def current(self, bank_slug: str = "default") -> "BankVersion | None":
        """What a new attempt on the public assessment uses: the newest
        published version of a bank that came with the product or that a
        second HR admin approved. One HR admin alone cannot put statements
        written to single people out in front of everyone who takes it
        (docs/confidentiality.md, rule 10)."""
        return (
            self.published()
            .filter(models.Q(shipped=True) | models.Q(approved_at__isnull=False))
            .filter(bank__slug=bank_slug)
            .order_by("-number")
            .first()
        )


class BankVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=organisation_language,
        help_text=_("The language the items are written in; the others are translations."),
    )
    languages = models.JSONField(
        default=site_languages,
        help_text=_(
            "The languages the version is offered in, its own included. It is published "
            "only when every item and response has a text in each."
        ),
    )
    shuffle_items = models.BooleanField(
        default=False,
        help_text=_(
            "Show the statements in a random order, drawn when each attempt starts and kept "
            "for the whole attempt (resume, Back and reload show the same order). "
            "Scoring does not depend on the order."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who published it; empty for a version that came with the product."),
    )
    shipped = models.BooleanField(
        default=False,
        editable=False,
        help_text=_("Came with the product (manage.py load_default_bank), reviewed by its makers."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The second HR admin who read a version the organisation wrote and approved it "
            "for pseudonymised cohorts."
        ),
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = BankVersionQuerySet.as_manager()

    class Meta:
        ordering = ["bank", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="unique_bank_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.bank.name} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def confidential_use(self) -> bool:
        """Whether a pseudonymised cohort may use it: it came with the
        product, or a second HR admin approved it. Whoever writes the
        statements can write them to single people out (repeats, negations,
        paraphrases of one question make each person's score one of a few
        values, which one rounded team mean then pins), so one admin alone
        never decides (docs/confidentiality.md, rule 10)."""
        return self.shipped or self.approved_at is not None


class Pole(models.TextChoices):
    SELLER = scoring.SELLER, _("Seller")
    LEADER = scoring.LEADER, _("Leader")


class Item(Translated):
    """One question of a version: a statement the person agrees or disagrees
    with on the five-point scale, keyed to one pole; a scenario, a work
    situation with two to four responses, each placed on the spectrum; or an
    attention check, a statement that asks for one answer, is never scored,
    and marks a result as careless when answered otherwise."""

    TRANSLATED_FIELDS = ("text",)

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        SCENARIO = "scenario", _("Scenario")
        ATTENTION = "attention", _("Attention check")

    version = models.ForeignKey(BankVersion, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.STATEMENT)
    pole = models.CharField(
        max_length=8,
        choices=Pole.choices,
        blank=True,
        help_text=_("The end that agreeing moves a person toward; empty for a scenario."),
    )
    text = models.CharField(max_length=300)
    passage = models.CharField(
        max_length=64, blank=True, help_text=_("Key of the article passage the item comes from.")
    )
    order = models.PositiveSmallIntegerField()
    expected = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("The answer (1-5) an attention check asks for; empty for other items."),
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="unique_item_order"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="statement",
                        pole__in=[scoring.SELLER, scoring.LEADER],
                        expected__isnull=True,
                    )
                    | models.Q(kind="scenario", pole="", expected__isnull=True)
                    | models.Q(
                        kind="attention",
                        pole="",
                        expected__isnull=False,
                        expected__gte=scoring.LIKERT_MIN,
                        expected__lte=scoring.LIKERT_MAX,
                    )
                ),
                name="item_kind_fields_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def source_language(self) -> str:
        return self.version.language

    local_text = LocalText("text")
    local_text_language = LocalText("text", language=True)

    @property
    def is_scenario(self) -> bool:
        return self.kind == self.Kind.SCENARIO

    @property
    def is_attention(self) -> bool:
        return self.kind == self.Kind.ATTENTION

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.ATTENTION

    @property
    def expected_label(self) -> str:
        """The answer an attention check asks for, as the page words it."""
        return scoring.LIKERT_LABELS.get(self.expected or 0, "")


class ItemOption(Translated):
    """One response of a scenario, placed on the spectrum: choosing it gives
    the scenario position / 100 points (content/scoring.py). Frozen with its
    item once the version is published."""

    TRANSLATED_FIELDS = ("text",)

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(
        help_text=_("Where the response sits: 0 is the seller end, 100 the leader end.")
    )

    class Meta:
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="unique_option_order"),
            models.CheckConstraint(
                condition=models.Q(order__gte=1, order__lte=scoring.MAX_OPTIONS),
                name="option_order_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=0, position__lte=100),
                name="option_position_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.position})"

    def source_language(self) -> str:
        return self.item.version.language

    local_text = LocalText("text")
    local_text_language = LocalText("text", language=True)


def with_options(items: list[Item]) -> list[Item]:
    """``items`` with their scenarios' responses read, in their order: one
    query when any is a scenario, none when all are statements."""
    models.prefetch_related_objects([item for item in items if item.is_scenario], "options")
    return items
