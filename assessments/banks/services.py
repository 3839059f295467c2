"""Question banks as HR admins manage them: drafts, items, publishing, import.

A published version is never edited; a change is a new version. The database
refuses such writes too (see db_triggers.py), but every function here checks
first, under a row lock, so that the person gets a clear message instead of a
database error. The checks a draft must pass to be published are one
selector, ``publish_problems``: the page lists them and
``bank_version_publish`` refuses on them, so the two cannot disagree.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.banks.rules import (
    BankFormatError,
    file_languages,
    file_translations,
    translation_problems,
    validate_bank_data,
)
from assessments.banks.selectors import bank_draft, publish_problems, version_translation_gaps
from assessments.exceptions import ServiceError
from assessments.models import Bank, BankVersion, Dimension, Item, ItemOption

# The public assessment always uses the newest published version of this bank.
PUBLIC_BANK_SLUG = "default"

# Texts in other languages than a row's source, as stored: {"de": {"text": "..."}}.
Translations = dict[str, dict[str, str]]


class BankError(ServiceError):
    """A bank action cannot be taken; the message is for the person."""


class VersionNotDraft(BankError):
    def __init__(self, version: BankVersion) -> None:
        self.version = version
        super().__init__(
            _(
                "Version %(number)s of %(bank)s is %(status)s, so it cannot be changed. "
                "Make a new draft from it to change its items."
            )
            % {
                "number": version.number,
                "bank": version.bank.name,
                "status": version.get_status_display().lower(),
            }
        )


class DraftExists(BankError):
    def __init__(self, draft: BankVersion) -> None:
        self.draft = draft
        super().__init__(
            _(
                "%(bank)s already has a draft, version %(number)s. A bank has one draft at "
                "a time: edit that one, or publish or delete it first."
            )
            % {"bank": draft.bank.name, "number": draft.number}
        )


class PublishRefused(BankError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            _("The draft cannot be published yet: %(problems)s") % {"problems": " ".join(problems)}
        )


def _lock_draft(version: BankVersion) -> BankVersion:
    """The version, locked and fresh from the database, if it is still a draft."""
    locked = BankVersion.objects.select_for_update().select_related("bank").get(pk=version.pk)
    if not locked.is_editable:
        raise VersionNotDraft(locked)
    return locked


def _refuse_second_draft(bank: Bank) -> None:
    # Locking the bank row serialises draft creation for one bank.
    Bank.objects.select_for_update().get(pk=bank.pk)
    draft = bank_draft(bank)
    if draft is not None:
        raise DraftExists(draft)


@transaction.atomic
def bank_create(*, name: str, slug: str, description: str = "", notes: str = "") -> BankVersion:
    """A new bank with an empty draft, version 1."""
    bank = Bank.objects.create(name=name, slug=slug, description=description)
    return BankVersion.objects.create(bank=bank, number=1, notes=notes)


@transaction.atomic
def bank_version_copy(*, source: BankVersion) -> BankVersion:
    """A new draft of the source's bank, numbered after the highest, with its
    items, their translations and the languages it is offered in."""
    _refuse_second_draft(source.bank)
    highest = source.bank.versions.aggregate(highest=Max("number"))["highest"] or 0
    draft = BankVersion.objects.create(
        bank=source.bank,
        number=highest + 1,
        notes=_("Copied from version %(number)s.") % {"number": source.number},
        shuffle_items=source.shuffle_items,
        language=source.language,
        languages=list(source.languages),
    )
    sources = list(source.items.prefetch_related("options").order_by("order"))
    copies = Item.objects.bulk_create(
        Item(
            version=draft,
            dimension_id=item.dimension_id,
            kind=item.kind,
            pole=item.pole,
            text=item.text,
            passage=item.passage,
            order=item.order,
            expected=item.expected,
            translations=item.translations,
        )
        for item in sources
    )
    ItemOption.objects.bulk_create(
        ItemOption(
            item=copy,
            order=option.order,
            text=option.text,
            position=option.position,
            translations=option.translations,
        )
        for item, copy in zip(sources, copies, strict=True)
        for option in item.options.all()
    )
    return draft


@transaction.atomic
def bank_version_import(*, data: dict[str, Any]) -> BankVersion:
    """Store an uploaded bank version as a draft for HR to review, then publish."""
    bank = Bank.objects.filter(slug=data["bank"]["slug"]).first()
    if bank is not None:
        number = data["version"]["number"]
        if bank.versions.filter(number=number).exists():
            raise BankError(
                _(
                    "%(bank)s already has a version %(number)s. Versions are never replaced: "
                    "give the file a new version number to import it."
                )
                % {"bank": bank.name, "number": number}
            )
        _refuse_second_draft(bank)
    # Dimensions are shared by every version, published ones too: a file may
    # add one but never renames one.
    version, _created = bank_import(data=data, publish=False, update_dimensions=False)
    return version


@transaction.atomic
def bank_version_notes_update(
    *,
    version: BankVersion,
    notes: str,
    shuffle_items: bool | None = None,
    languages: Sequence[str] | None = None,
) -> BankVersion:
    """Change a draft's notes and, unless ``shuffle_items`` is None, whether it
    shows its statements in a random order; unless ``languages`` is None,
    the languages it is offered in (its own always among them). Only a
    draft: attempts of a published version rely on its order staying what
    they started with. Texts of a language left out stay until publishing,
    so that ticking it again brings them back."""
    version = _lock_draft(version)
    version.notes = notes
    if shuffle_items is not None:
        version.shuffle_items = shuffle_items
    if languages is not None:
        version.languages = [version.language] + [
            code for code in dict.fromkeys(languages) if code != version.language
        ]
    version.save(update_fields=["notes", "shuffle_items", "languages"])
    return version


@transaction.atomic
def bank_version_delete(*, version: BankVersion) -> None:
    """Delete a draft; a bank left with no version at all goes with it."""
    version = _lock_draft(version)
    try:
        version.delete()
        if not version.bank.versions.exists():
            version.bank.delete()
    except ProtectedError as error:
        raise BankError(
            _("Version %(number)s is in use by a cohort or an attempt, so it stays.")
            % {"number": version.number}
        ) from error


@transaction.atomic
def bank_version_publish(*, version: BankVersion, by: User | None = None) -> BankVersion:
    version = _lock_draft(version)
    problems = publish_problems(version)
    if problems:
        raise PublishRefused(problems)
    _drop_languages_not_offered(version)
    version.status = BankVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    return version


def _drop_languages_not_offered(version: BankVersion) -> None:
    """A draft keeps the texts of a language HR left out, in case it comes
    back; the published version holds those of its languages alone, frozen."""
    kept = set(version.languages) - {version.language}
    items = list(version.items.prefetch_related("options"))
    rows = [*items, *(option for item in items for option in item.options.all())]
    changed = []
    for row in rows:
        translations = {k: v for k, v in (row.translations or {}).items() if k in kept}
        if translations != (row.translations or {}):
            row.translations = translations
            changed.append(row)
    Item.objects.bulk_update([r for r in changed if isinstance(r, Item)], ["translations"])
    ItemOption.objects.bulk_update(
        [r for r in changed if isinstance(r, ItemOption)], ["translations"]
    )


@transaction.atomic
def bank_version_approve(*, version: BankVersion, by: User) -> BankVersion:
    """A second HR admin approves a version the organisation wrote for
    pseudonymised cohorts, having read its statements: whoever writes them
    could write them to single people out, so the one who published it
    cannot approve it (docs/confidentiality.md, rule 10)."""
    version = BankVersion.objects.select_for_update().select_related("bank").get(pk=version.pk)
    if version.status != BankVersion.Status.PUBLISHED:
        raise BankError(
            _("Only a published version can be approved; version %(number)s is %(status)s.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )
    if version.confidential_use:
        raise BankError(
            _("Version %(number)s may already be used in pseudonymised cohorts.")
            % {"number": version.number}
        )
    if version.published_by_id == by.pk:
        raise BankError(
            _(
                "You published version %(number)s, so another HR admin must read and approve "
                "it: whoever writes the statements could write them to single people out."
            )
            % {"number": version.number}
        )
    version.approved_by = by
    version.approved_at = timezone.now()
    version.save(update_fields=["approved_by", "approved_at"])
    return version


@transaction.atomic
def bank_version_archive(*, version: BankVersion) -> BankVersion:
    version = BankVersion.objects.select_for_update().select_related("bank").get(pk=version.pk)
    if version.status != BankVersion.Status.PUBLISHED:
        raise BankError(
            _("Only a published version can be archived; version %(number)s is %(status)s.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )
    others = version.bank.versions.published().exclude(pk=version.pk)
    if version.bank.slug == PUBLIC_BANK_SLUG and not others.exists():
        raise BankError(
            _(
                "Version %(number)s is the only published version of the bank the public "
                "assessment uses. Publish another version first."
            )
            % {"number": version.number}
        )
    version.status = BankVersion.Status.ARCHIVED
    version.save(update_fields=["status"])
    return version


def _with_texts(stored: Translations | None, given: Translations | None) -> Translations:
    """A row's translations after a form: the languages the form had fields
    for take its texts (empty ones dropped); the others stay as they were."""
    merged = {language: dict(texts) for language, texts in (stored or {}).items()}
    for language, texts in (given or {}).items():
        kept = {name: text for name, text in texts.items() if text}
        if kept:
            merged[language] = kept
        else:
            merged.pop(language, None)
    return merged


@transaction.atomic
def item_create(
    *,
    version: BankVersion,
    dimension: Dimension,
    pole: str,
    text: str,
    passage: str,
    order: int,
    translations: Translations | None = None,
) -> Item:
    version = _lock_draft(version)
    return Item.objects.create(
        version=version,
        dimension=dimension,
        pole=pole,
        text=text,
        passage=passage,
        order=order,
        translations=_with_texts(None, translations),
    )


@transaction.atomic
def item_update(
    *,
    item: Item,
    dimension: Dimension,
    pole: str,
    text: str,
    passage: str,
    order: int,
    translations: Translations | None = None,
) -> Item:
    _lock_draft(item.version)
    if not item.kind == Item.Kind.STATEMENT:
        raise BankError(
            _("That item is a %(kind)s: edit it on its own form.")
            % {"kind": item.get_kind_display().lower()}
        )
    item.dimension, item.pole, item.text, item.passage, item.order = (
        dimension,
        pole,
        text,
        passage,
        order,
    )
    item.translations = _with_texts(item.translations, translations)
    item.save(update_fields=["dimension", "pole", "text", "passage", "order", "translations"])
    return item


@transaction.atomic
def scenario_create(
    *,
    version: BankVersion,
    dimension: Dimension,
    text: str,
    passage: str,
    order: int,
    options: list[tuple[str, int]],
    translations: Translations | None = None,
    option_translations: Sequence[Translations] = (),
) -> Item:
    """A scenario and its responses (text, position), in the order given;
    ``option_translations``, if given, holds each response's translations."""
    version = _lock_draft(version)
    item = Item.objects.create(
        version=version,
        dimension=dimension,
        kind=Item.Kind.SCENARIO,
        text=text,
        passage=passage,
        order=order,
        translations=_with_texts(None, translations),
    )
    _options_store(item, options, option_translations)
    return item


@transaction.atomic
def scenario_update(
    *,
    item: Item,
    dimension: Dimension,
    text: str,
    passage: str,
    order: int,
    options: list[tuple[str, int]],
    translations: Translations | None = None,
    option_translations: Sequence[Translations] = (),
) -> Item:
    """A scenario's situation and responses, replaced whole: a draft has no
    answers yet, so nothing refers to the responses it had. A response's
    texts in languages the form did not show go with it."""
    _lock_draft(item.version)
    if not item.is_scenario:
        raise BankError(_("That item is a statement, not a scenario."))
    item.dimension, item.text, item.passage, item.order = dimension, text, passage, order
    item.translations = _with_texts(item.translations, translations)
    item.save(update_fields=["dimension", "text", "passage", "order", "translations"])
    item.options.all().delete()
    _options_store(item, options, option_translations)
    return item


def _options_store(
    item: Item, options: list[tuple[str, int]], translations: Sequence[Translations] = ()
) -> None:
    texts = list(translations) + [{}] * (len(options) - len(translations))
    ItemOption.objects.bulk_create(
        ItemOption(
            item=item,
            order=order,
            text=text,
            position=position,
            translations=_with_texts(None, option_texts),
        )
        for order, ((text, position), option_texts) in enumerate(
            zip(options, texts, strict=False), start=1
        )
    )


@transaction.atomic
def attention_check_save(
    *,
    version: BankVersion,
    item: Item | None = None,
    dimension: Dimension,
    text: str,
    expected: int,
    order: int,
    translations: Translations | None = None,
) -> Item:
    """Add an attention check to a draft, or change one: a statement that
    asks for one answer and is never scored (``dimension`` only places it in
    the lists)."""
    version = _lock_draft(version)
    if item is None:
        item = Item(version=version, kind=Item.Kind.ATTENTION)
    elif not item.is_attention:
        raise BankError(_("That item is not an attention check."))
    item.dimension, item.text, item.expected, item.order = dimension, text, expected, order
    item.translations = _with_texts(item.translations, translations)
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: Item) -> None:
    _lock_draft(item.version)
    item.delete()


@transaction.atomic
def item_move(*, item: Item, up: bool) -> Item:
    """Swap the item with its neighbour above or below; at either end, nothing moves."""
    version = _lock_draft(item.version)
    items = version.items.order_by("order" if not up else "-order")
    neighbour = items.filter(**{"order__lt" if up else "order__gt": item.order}).first()
    if neighbour is None:
        return item
    # Positions are unique in the database at every moment, so one of the two
    # steps aside first.
    mine, theirs = item.order, neighbour.order
    spare = (version.items.aggregate(highest=Max("order"))["highest"] or 0) + 1
    Item.objects.filter(pk=item.pk).update(order=spare)
    Item.objects.filter(pk=neighbour.pk).update(order=mine)
    Item.objects.filter(pk=item.pk).update(order=theirs)
    item.order = theirs
    return item


def _dimensions_store(data: dict[str, Any], *, update: bool) -> dict[str, Dimension]:
    """The file's dimensions by key, created where missing; with ``update``,
    stored ones take the file's names, poles and translations too. Without,
    a stored one keeps its texts, and only gains those of a language it has
    none in: a file may add a dimension's translation, never change one."""
    store = Dimension.objects.update_or_create if update else Dimension.objects.get_or_create
    dimensions = {}
    for order, entry in enumerate(data["dimensions"], start=1):
        translations = file_translations(entry, data)
        dimension, created = store(
            key=entry["key"],
            defaults={
                "name": entry["name"],
                "seller_pole": entry["seller_pole"],
                "leader_pole": entry["leader_pole"],
                "summary": entry.get("summary", ""),
                "order": order,
            },
        )
        stored = dimension.translations or {}
        merged = (
            {**stored, **translations}
            if update or created
            else {**translations, **stored}  # the stored ones win
        )
        if merged != stored:
            dimension.translations = merged
            dimension.save(update_fields=["translations"])
        dimensions[entry["key"]] = dimension
    return dimensions


@transaction.atomic
def bank_import(
    *,
    data: dict[str, Any],
    publish: bool = True,
    update_dimensions: bool = True,
    shipped: bool = False,
) -> tuple[BankVersion, bool]:
    """Store a bank version from its JSON form; returns (version, created).
    ``shipped`` marks a version that comes with the product
    (``load_default_bank``): pseudonymised cohorts may use it without a
    second HR admin's approval.

    With ``update_dimensions=False`` dimensions already stored keep their
    names and poles: they are shared by every version, published ones too, so
    an uploaded file must not rename them. With it, they take the file's
    texts even when the version is stored already: the product's own
    dimensions gain the translations a newer release ships.

    A version published here must have a text in every language it offers,
    as one published by HR does; otherwise nothing is stored.
    """
    validate_bank_data(data)
    bank, created = Bank.objects.get_or_create(
        slug=data["bank"]["slug"],
        defaults={"name": data["bank"]["name"], "description": data["bank"].get("description", "")},
    )
    # A bank's own name and description stay as they are; a file only adds
    # a language it has no text in yet (as with dimensions, below).
    added = {
        language: texts
        for language, texts in file_translations(data["bank"], data).items()
        if created or language not in (bank.translations or {})
    }
    if added:
        bank.translations = {**(bank.translations or {}), **added}
        bank.save(update_fields=["translations"])
    number = data["version"]["number"]
    existing = BankVersion.objects.filter(bank=bank, number=number).first()
    if existing is not None:
        if update_dimensions:
            _dimensions_store(data, update=True)
        return existing, False

    dimensions = _dimensions_store(data, update=update_dimensions)
    language, languages = file_languages(data)
    version = BankVersion.objects.create(
        bank=bank,
        number=number,
        notes=data["version"].get("notes", ""),
        shuffle_items=data["version"].get("shuffle_items", False),
        shipped=shipped,
        language=language,
        languages=languages,
    )
    items = Item.objects.bulk_create(
        Item(
            version=version,
            dimension=dimensions[entry["dimension"]],
            kind=entry.get("kind", Item.Kind.STATEMENT),
            pole=entry.get("pole", ""),
            text=entry["text"].strip(),
            passage=entry.get("passage", ""),
            order=order,
            expected=entry.get("expected"),
            translations=file_translations(entry, data),
        )
        for order, entry in enumerate(data["items"], start=1)
    )
    ItemOption.objects.bulk_create(
        ItemOption(
            item=item,
            order=order,
            text=option["text"].strip(),
            position=option["position"],
            translations=file_translations(option, data),
        )
        for item, entry in zip(items, data["items"], strict=True)
        for order, option in enumerate(entry.get("options", []), start=1)
    )
    if publish:
        missing = translation_problems(version_translation_gaps(version))
        if missing:
            # Raised inside the transaction: nothing of the file stays.
            raise BankFormatError(" ".join(missing))
        version.status = BankVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version, True
