"""Question banks in more than one language: a version offers languages,
each item, response and dimension has a text in each, publishing refuses a
version whose languages are incomplete, the editor shows what is missing and
saves translations with the source text, and files carry them both ways."""

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from assessments.banks import selectors, services
from assessments.banks.rules import BankFormatError, read_bank_file, validate_bank_data
from assessments.management.commands import load_default_bank
from assessments.models import Attempt, BankVersion, Dimension, Item, ItemOption
from tests import cast
from tests.bank_helpers import item_data, stored_state


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in German leaves its thread in German (LocaleMiddleware
    activates, nothing deactivates): the next test starts in the site's own."""
    yield
    translation.deactivate()


# A bank file in German and English --------------------------------------------------


def _german(text: str, max_length: int) -> str:
    return f"Auf Deutsch: {text}"[:max_length]


def german_data(number: int = 1, *, mixed: bool = True) -> dict[str, Any]:
    """The default bank (with two scenarios per difference) in format 3,
    offered in English and German, every text translated: the shipped
    German where the file has it, a stand-in where not."""
    data = cast.mixed_bank_data(number) if mixed else read_bank_file()
    shipped = read_bank_file()
    data["format"] = 3
    data["version"].update(number=number, language="en", languages=["en", "de"])
    for ours, theirs in zip(data["dimensions"], shipped["dimensions"], strict=True):
        given = theirs.get("translations", {}).get("de", {}) if shipped["format"] >= 3 else {}
        ours["translations"] = {
            "de": {
                field: given.get(field) or _german(ours.get(field) or field, 100)
                for field in ("name", "seller_pole", "leader_pole", "summary")
            }
        }
    for item in data["items"]:
        item["translations"] = {"de": {"text": _german(item["text"], 300)}}
        for option in item.get("options", []):
            option["translations"] = {"de": {"text": _german(option["text"], 200)}}
    validate_bank_data(data)
    return data


@pytest.fixture
def german_draft(db) -> BankVersion:
    """Version 1 of the default bank as a draft, in English and German, complete."""
    version, _ = services.bank_import(data=german_data(), publish=False)
    return version


def publish(client, version: BankVersion):
    return client.post(reverse("banks:version_publish", args=[version.pk]))


def upload(client, data: dict[str, Any]):
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    file = SimpleUploadedFile("bank.json", body, content_type="application/json")
    return client.post(reverse("banks:import"), {"file": file})


# Publishing ----------------------------------------------------------------------------


def test_it_publishes_a_version_whose_languages_are_complete(hr_client, german_draft):
    assert selectors.publish_problems(german_draft) == []
    assert publish(hr_client, german_draft).status_code == 302
    german_draft.refresh_from_db()
    assert german_draft.status == "published"
    assert german_draft.languages == ["en", "de"]


def test_it_refuses_a_missing_german_item_text_then_publishes_once_it_is_written(
    hr_client, german_draft
):
    item = german_draft.items.get(order=3)
    Item.objects.filter(pk=item.pk).update(translations={})
    before = stored_state()

    response = publish(hr_client, german_draft)

    assert response.status_code == 409
    html = response.content.decode()
    assert "The draft was not published" in html
    assert "No text in German for the item at position 3." in html
    assert stored_state() == before
    german_draft.refresh_from_db()
    assert german_draft.status == "draft"

    hr_client.post(
        reverse("banks:item_edit", args=[item.pk]),
        item_data(
            text=item.text,
            dimension=item.dimension_id,
            pole=item.pole,
            passage=item.passage,
            order=item.order,
            text_de="Ich frage nach einem festen Ja.",
        ),
    )
    assert publish(hr_client, german_draft).status_code == 302
    german_draft.refresh_from_db()
    assert german_draft.status == "published"
    item.refresh_from_db()
    assert item.translations == {"de": {"text": "Ich frage nach einem festen Ja."}}


def test_it_names_every_kind_of_missing_text(german_draft):
    scenario = german_draft.items.filter(kind=Item.Kind.SCENARIO).order_by("order").first()
    assert scenario is not None
    ItemOption.objects.filter(item=scenario, order__in=(1, 2)).update(translations={})
    Item.objects.filter(version=german_draft, order__in=(1, 2)).update(translations={})
    dimension = Dimension.objects.get(key="commitment")
    dimension.translations = {"de": {"name": "Verbindlichkeit"}}
    dimension.save()

    problems = selectors.publish_problems(german_draft)

    assert f"No text in German for 2 responses of the scenario at position {scenario.order}." in (
        problems
    )
    assert "No text in German for the 2 items at positions 1, 2." in problems
    assert (
        f"No text in German for the dimension “{dimension.name}”: its seller end, leader end, "
        "summary." in problems
    )
    with pytest.raises(services.PublishRefused, match="No text in German"):
        services.bank_version_publish(version=german_draft)


def test_a_whitespace_translation_counts_as_missing(german_draft):
    Item.objects.filter(version=german_draft, order=5).update(translations={"de": {"text": "  "}})
    assert "No text in German for the item at position 5." in selectors.publish_problems(
        german_draft
    )


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u200d", "\ufeff", "\u00ad \u2060"])
def test_an_invisible_text_counts_as_missing_everywhere(hr_client, german_draft, invisible):
    """A hostile review published a question whose German was a zero-width
    space: German participants saw "11. " and their answer was scored."""
    Item.objects.filter(version=german_draft, order=5).update(
        translations={"de": {"text": invisible}}
    )
    assert "No text in German for the item at position 5." in selectors.publish_problems(
        german_draft
    )
    item = german_draft.items.get(order=3)
    fields = {"dimension": item.dimension_id, "pole": item.pole, "order": item.order}
    response = hr_client.post(
        reverse("banks:item_edit", args=[item.pk]),
        item_data(text=invisible, text_de="Ich frage nach.", **fields),
    )
    assert response.status_code == 200  # the form again, with its error
    assert "Write the statement." in response.content.decode()
    item.refresh_from_db()
    assert item.text != invisible
    data = german_data()
    data["items"][0]["text"] = invisible
    with pytest.raises(BankFormatError, match="the text is empty"):
        validate_bank_data(data)
    data = german_data()
    data["items"][0]["translations"] = {"de": {"text": invisible}}
    with pytest.raises(BankFormatError, match="is empty"):
        validate_bank_data(data)


@pytest.fixture
def english_draft(db) -> BankVersion:
    """A draft offered in English alone, read from a file in format 2."""
    data = german_data()
    data["format"] = 2
    version, _ = services.bank_import(data=data, publish=False)
    return version


def test_an_english_only_version_needs_no_german(english_draft):
    assert english_draft.languages == ["en"]
    Item.objects.filter(version=english_draft).update(translations={})
    assert selectors.publish_problems(english_draft) == []


def test_a_repeat_in_german_is_refused_as_one_in_english_is(german_draft):
    Item.objects.filter(version=german_draft, order__in=(1, 2)).update(
        translations={"de": {"text": "Ich sage, was gesagt werden muss."}}
    )
    assert "In German: The item at position 2 repeats the one at 1." in (
        selectors.publish_problems(german_draft)
    )


def test_publishing_keeps_the_texts_of_the_offered_languages_alone(hr_client, german_draft):
    services.bank_version_notes_update(version=german_draft, notes="", languages=["en"])
    assert publish(hr_client, german_draft).status_code == 302
    assert not Item.objects.filter(version=german_draft).exclude(translations={}).exists()
    assert (
        not ItemOption.objects.filter(item__version=german_draft).exclude(translations={}).exists()
    )


# The editor ----------------------------------------------------------------------------


def test_the_editor_shows_what_each_language_lacks_and_marks_the_items(hr_client, german_draft):
    scenario = german_draft.items.filter(kind=Item.Kind.SCENARIO).order_by("order").first()
    assert scenario is not None
    ItemOption.objects.filter(item=scenario, order=1).update(translations={})
    lacking = german_draft.items.get(order=4)
    Item.objects.filter(pk=lacking.pk).update(translations={})

    html = hr_client.get(reverse("banks:version_detail", args=[german_draft.pk])).content.decode()

    summary = html.split('data-missing-language="de"')[1].split("</li>")[0]
    assert "1 item has no text yet" in summary
    assert "1 response has no text yet" in summary
    row = html.split(f'id="item-{lacking.pk}"')[1].split("</tr>")[0]
    assert "data-missing-translation" in row and "No text yet in Deutsch" in row
    assert "data-missing-translation" in html.split(f'id="item-{scenario.pk}"')[1].split("</tr>")[0]
    complete = german_draft.items.get(order=5)
    row = html.split(f'id="item-{complete.pk}"')[1].split("</tr>")[0]
    assert "data-missing-translation" not in row
    assert complete.translations["de"]["text"] in row  # the translation, under the source


def test_the_editor_says_so_when_every_text_is_there(hr_client, german_draft):
    html = hr_client.get(reverse("banks:version_detail", args=[german_draft.pk])).content.decode()
    assert "Every item, response and dimension has a text in each language" in html
    assert "data-missing-translation" not in html


def test_the_forms_have_a_field_per_other_language_beside_the_source(hr_client, german_draft):
    statement = german_draft.items.filter(kind=Item.Kind.STATEMENT).first()
    assert statement is not None
    page = hr_client.get(reverse("banks:item_edit", args=[statement.pk])).content.decode()
    assert "Statement (Deutsch)" in page
    assert statement.translations["de"]["text"] in page
    assert page.index('name="text"') < page.index('name="text_de"') < page.index('name="dimension"')
    page = hr_client.get(reverse("banks:scenario_create", args=[german_draft.pk])).content.decode()
    assert "Situation (Deutsch)" in page and "Response 1 (Deutsch)" in page
    page = hr_client.get(reverse("banks:attention_create", args=[german_draft.pk])).content.decode()
    assert "Check statement (Deutsch)" in page


def test_an_english_only_draft_has_no_translation_fields(hr_client, english_draft):
    url = reverse("banks:item_create", args=[english_draft.pk])
    page = hr_client.get(url).content.decode()
    assert 'name="text_de"' not in page


def scenario_post(dimension: int, **changes) -> dict:
    data = {
        "text": "A colleague keeps missing deadlines that affect your team.",
        "text_de": "Eine Kollegin verpasst immer wieder Fristen, die Ihr Team betreffen.",
        "dimension": dimension,
        "passage": "",
        "order": 90,
        "response_1": "Say nothing: the relationship matters more.",
        "response_1_de": "Nichts sagen: Die Beziehung ist wichtiger.",
        "position_1": 10,
        "response_2": "Tell them plainly it has to change.",
        "response_2_de": "Ihr klar sagen, dass es sich ändern muss.",
        "position_2": 85,
    }
    return {**data, **changes}


def test_the_scenario_form_saves_the_translations_with_the_texts(hr_client, german_draft):
    dimension = Dimension.objects.get(key="disapproval")
    response = hr_client.post(
        reverse("banks:scenario_create", args=[german_draft.pk]), scenario_post(dimension.pk)
    )
    assert response.status_code == 302
    item = german_draft.items.get(order=90)
    assert item.translations == {
        "de": {"text": "Eine Kollegin verpasst immer wieder Fristen, die Ihr Team betreffen."}
    }
    assert list(item.options.values_list("text", "translations")) == [
        (
            "Say nothing: the relationship matters more.",
            {"de": {"text": "Nichts sagen: Die Beziehung ist wichtiger."}},
        ),
        (
            "Tell them plainly it has to change.",
            {"de": {"text": "Ihr klar sagen, dass es sich ändern muss."}},
        ),
    ]
    with translation.override("de"):
        assert item.local_text.startswith("Eine Kollegin")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"response_2_de": "x" * 201}, "at most 200 characters"),
        ({"text_de": "x" * 301}, "at most 300 characters"),
        ({"response_3_de": "Allein."}, "Write response 3 itself, or clear this translation."),
        ({"position_2": 30}, "span 20 points"),
    ],
)
def test_a_scenario_with_a_bad_field_stores_neither_texts_nor_translations(
    hr_client, german_draft, changes, message
):
    dimension = Dimension.objects.get(key="disapproval")
    before = stored_state(), list(ItemOption.objects.values_list("pk", "translations"))
    response = hr_client.post(
        reverse("banks:scenario_create", args=[german_draft.pk]),
        scenario_post(dimension.pk, **changes),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (stored_state(), list(ItemOption.objects.values_list("pk", "translations"))) == before


def test_a_failed_save_leaves_the_item_and_its_translation_as_they_were(hr_client, german_draft):
    item = german_draft.items.get(order=1)
    before = item.text, item.translations
    response = hr_client.post(
        reverse("banks:item_edit", args=[item.pk]),
        item_data(text="New English.", text_de="Neues Deutsch.", order=2),  # position taken
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.text, item.translations) == before


def test_editing_a_scenario_keeps_its_responses_translations_in_step(hr_client, german_draft):
    item = german_draft.items.filter(kind=Item.Kind.SCENARIO).order_by("order").first()
    assert item is not None
    options = list(item.options.all())
    data = {
        "text": item.text,
        "text_de": "Neue Lage.",
        "dimension": item.dimension_id,
        "passage": item.passage,
        "order": item.order,
    }
    for number, option in enumerate(options, start=1):
        data.update(
            {
                f"response_{number}": option.text,
                f"response_{number}_de": f"Antwort {number}",
                f"position_{number}": option.position,
            }
        )
    response = hr_client.post(reverse("banks:item_edit", args=[item.pk]), data)
    assert response.status_code == 302
    assert [o.translations for o in item.options.order_by("order")] == [
        {"de": {"text": f"Antwort {n}"}} for n in range(1, len(options) + 1)
    ]


def test_the_attention_form_saves_its_translation(hr_client, german_draft):
    dimension = Dimension.objects.get(key="commitment")
    response = hr_client.post(
        reverse("banks:attention_create", args=[german_draft.pk]),
        {
            "text": "To show you are reading, choose Disagree here.",
            "text_de": "Um zu zeigen, dass Sie lesen, wählen Sie hier „Stimme eher nicht zu“.",
            "dimension": dimension.pk,
            "expected": 2,
            "order": 95,
        },
    )
    assert response.status_code == 302
    check = german_draft.items.get(order=95)
    assert check.translations["de"]["text"].startswith("Um zu zeigen")


def test_hr_chooses_the_languages_and_the_source_language_stays(hr_client, german_draft):
    url = reverse("banks:version_notes", args=[german_draft.pk])
    page = hr_client.get(reverse("banks:version_detail", args=[german_draft.pk])).content.decode()
    english = page.split('value="en"')[1].split(">")[0]
    assert "checked" in english and "disabled" in english

    hr_client.post(url, {"notes": "English only for now."})
    german_draft.refresh_from_db()
    assert german_draft.languages == ["en"]
    # The German texts wait, for when German is offered again.
    assert german_draft.items.exclude(translations={}).exists()
    assert selectors.publish_problems(german_draft) == []

    hr_client.post(url, {"notes": "Both.", "languages": ["de"]})
    german_draft.refresh_from_db()
    assert german_draft.languages == ["en", "de"]

    response = hr_client.post(url, {"notes": "", "languages": ["fr"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    german_draft.refresh_from_db()
    assert german_draft.languages == ["en", "de"]


def test_a_new_bank_offers_every_language_of_the_site(hr_client, db):
    hr_client.post(reverse("banks:create"), {"name": "Coaches", "slug": "coaches"})
    version = BankVersion.objects.get(bank__slug="coaches")
    assert (version.language, version.languages) == ("en", ["en", "de"])


def test_a_copy_keeps_the_translations_and_the_languages(hr_client, german_draft):
    services.bank_version_publish(version=german_draft)
    response = hr_client.post(reverse("banks:version_copy", args=[german_draft.pk]))
    assert response.status_code == 302
    copy_ = BankVersion.objects.get(bank=german_draft.bank, status="draft")
    assert (copy_.language, copy_.languages) == ("en", ["en", "de"])

    def texts(version: BankVersion) -> list:
        return [
            (item.order, item.translations, [o.translations for o in item.options.all()])
            for item in version.items.prefetch_related("options").order_by("order")
        ]

    assert texts(copy_) == texts(german_draft)
    assert selectors.publish_problems(copy_) == []


def test_the_statistics_and_lists_name_dimensions_in_the_readers_language(hr_client, german_draft):
    dimension = Dimension.objects.get(key="status_quo")
    german = dimension.translations["de"]["name"]
    page = hr_client.get(reverse("banks:list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert german in page
    page = hr_client.get(
        reverse("banks:version_detail", args=[german_draft.pk]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert german in page


# Import and export ---------------------------------------------------------------------


def test_a_file_that_names_no_languages_offers_those_it_carries(db):
    data = german_data(8)
    del data["version"]["languages"]
    version, _ = services.bank_import(data=data, publish=False)
    assert version.languages == ["en", "de"]


def test_export_then_import_gives_the_same_translations(german_draft):
    exported = selectors.bank_export(german_draft)
    assert exported["format"] == 3
    assert exported["version"]["languages"] == ["en", "de"]
    again = copy.deepcopy(exported)
    again["version"]["number"] = 7
    imported, created = services.bank_import(data=again, publish=False)
    assert created and (imported.language, imported.languages) == ("en", ["en", "de"])
    re_exported = selectors.bank_export(imported)
    assert re_exported["items"] == exported["items"]
    assert re_exported["dimensions"] == exported["dimensions"]
    assert json.loads(json.dumps(exported)) == exported  # plain JSON, nothing lazy


def test_an_english_only_version_still_exports_in_the_old_formats(bank_version):
    exported = selectors.bank_export(bank_version)
    assert exported["format"] == (3 if bank_version.languages != ["en"] else 1)


def test_hr_imports_a_german_file_as_a_draft_with_its_translations(hr_client, db):
    response = upload(hr_client, german_data(3))
    assert response.status_code == 302
    version = BankVersion.objects.get(number=3)
    assert (version.status, version.languages) == ("draft", ["en", "de"])
    assert not version.items.filter(translations={}).exists()
    assert selectors.publish_problems(version) == []


def test_formats_1_and_2_import_as_english_only(db):
    data = german_data(4)
    data["format"] = 2
    version, _ = services.bank_import(data=data, publish=False)
    assert (version.language, version.languages) == ("en", ["en"])
    assert not version.items.exclude(translations={}).exists()


def test_an_upload_adds_a_dimensions_missing_translation_but_never_changes_one(hr_client, db):
    cast.published_bank()
    Dimension.objects.filter(key="status_quo").update(translations={})
    Dimension.objects.filter(key="commitment").update(
        translations={"de": {"name": "Unsere Verbindlichkeit"}}
    )
    upload(hr_client, german_data(5))
    assert Dimension.objects.get(key="status_quo").translations["de"]["seller_pole"]
    assert Dimension.objects.get(key="commitment").translations == {
        "de": {"name": "Unsere Verbindlichkeit"}
    }


def _with(change):
    def make() -> dict[str, Any]:
        data = german_data(6)
        change(data)
        return data

    return make


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            _with(lambda d: d["items"][0]["translations"].update(fr={"text": "Je demande."})),
            "item 1: &#x27;translations&#x27; holds &#x27;fr&#x27;, which this product does not "
            "speak (en, de).",
        ),
        (
            _with(lambda d: d["version"].update(languages=["en"])),
            "holds &#x27;de&#x27;, which the version does not offer (its &#x27;languages&#x27; "
            "are en)",
        ),
        (
            _with(lambda d: d["items"][1].update(translations={"de": {"text": "   "}})),
            "item 2: the &#x27;de&#x27; &#x27;text&#x27; is empty",
        ),
        (
            _with(lambda d: d["items"][2].update(translations={"de": {"text": "x" * 301}})),
            "item 3: &#x27;translations.de.text&#x27; is longer than 300 characters.",
        ),
        (
            _with(
                lambda d: d["items"][-1]["options"][0].update(
                    translations={"de": {"text": "x" * 201}}
                )
            ),
            "option 1: &#x27;translations.de.text&#x27; is longer than 200 characters.",
        ),
        (
            _with(lambda d: d["dimensions"][0]["translations"]["de"].update(name="x" * 101)),
            "dimension 1: &#x27;translations.de.name&#x27; is longer than 100 characters.",
        ),
        (
            _with(lambda d: d["items"][0].update(translations={"en": {"text": "Again."}})),
            "the version&#x27;s own language",
        ),
        (
            _with(lambda d: d["items"][0].update(translations={"de": {"txt": "Tippfehler"}})),
            "which is not translated (only text)",
        ),
        (
            _with(lambda d: d["items"][0].update(translations=["de", "Text"])),
            "&#x27;translations&#x27; must map languages to their texts",
        ),
        (
            _with(lambda d: d["version"].update(languages=["de"])),
            "must include the version&#x27;s own language",
        ),
        (
            _with(lambda d: d["version"].update(language="xx")),
            "version: &#x27;language&#x27; &#x27;xx&#x27; is not one this product speaks",
        ),
        (
            _with(lambda d: d["version"].update(languages=["en", "de", "de"])),
            "names a language twice",
        ),
    ],
)
def test_a_file_with_bad_translations_is_refused_with_a_clear_message_and_stores_nothing(
    hr_client, bank_version, make, message
):
    before = stored_state(), list(Dimension.objects.values_list("translations", flat=True))
    response = upload(hr_client, make())
    assert response.status_code == 200
    assert message in response.content.decode()
    after = stored_state(), list(Dimension.objects.values_list("translations", flat=True))
    assert after == before


# The default bank ----------------------------------------------------------------------


def test_load_default_bank_loads_the_shipped_files_with_what_they_carry(db):
    call_command("load_default_bank", stdout=open("/dev/null", "w"))  # noqa: SIM115
    versions = list(BankVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    for version, path in zip(versions, load_default_bank.DEFAULT_BANK_PATHS, strict=True):
        data = read_bank_file(path)
        offered = data["version"].get("languages", ["en"]) if data["format"] >= 3 else ["en"]
        assert version.status == "published" and version.languages == offered
        if "de" in offered:  # German in full once the files carry it
            assert not version.items.filter(translations={}).exists()
            with translation.override("de"):
                first = version.items.order_by("order").first()
                assert first is not None and first.local_text != first.text


def test_load_default_bank_publishes_a_translated_file_in_both_languages(db, tmp_path, monkeypatch):
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(german_data(mixed=False)), encoding="utf-8")
    monkeypatch.setattr(load_default_bank, "DEFAULT_BANK_PATHS", (path,))
    call_command("load_default_bank", stdout=open("/dev/null", "w"))  # noqa: SIM115
    version = BankVersion.objects.get()
    assert (version.status, version.languages, version.shipped) == (
        "published",
        ["en", "de"],
        True,
    )
    status_quo = Dimension.objects.get(key="status_quo")
    with translation.override("de"):
        assert status_quo.local_name == status_quo.translations["de"]["name"]


def test_load_default_bank_refuses_an_incomplete_translation_and_stores_nothing(
    db, tmp_path, monkeypatch
):
    data = german_data(mixed=False)
    del data["items"][4]["translations"]
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(load_default_bank, "DEFAULT_BANK_PATHS", (path,))
    with pytest.raises(CommandError, match="No text in German for the item at position 5"):
        call_command("load_default_bank")
    assert not BankVersion.objects.exists() and not Item.objects.exists()


def test_a_file_refused_by_the_rules_says_why(db):
    data = german_data()
    data["items"][0]["translations"]["de"]["text"] = ""
    with pytest.raises(BankFormatError, match="item 1: the 'de' 'text' is empty"):
        services.bank_import(data=data)
    assert not BankVersion.objects.exists()


# A German participant ------------------------------------------------------------------


def test_a_german_participant_sees_the_german_text_of_a_complete_version(client, db):
    version, _ = services.bank_import(data=german_data(mixed=False), shipped=True)
    response = client.post(reverse("taking:attempt_start"), HTTP_ACCEPT_LANGUAGE="de")
    attempt = Attempt.objects.get()
    assert attempt.bank_version == version
    page = client.get(
        reverse("taking:attempt_page", args=[attempt.pk, 1]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    first = version.items.order_by("order").first()
    assert first is not None and response.status_code == 302
    german = first.translations["de"]["text"]
    with translation.override("de"):
        assert first.local_text == german and first.local_text_language == "de"
    with translation.override("en"):
        assert first.local_text == first.text
    assert german in page


def test_it_carries_the_banks_description_in_german_both_ways(db):
    version = cast.published_bank()
    bank = version.bank
    shipped = read_bank_file()
    assert bank.translations == shipped["bank"]["translations"]
    with translation.override("de"):
        assert bank.local_description.startswith("Eine Selbsteinschätzung")
    assert selectors.bank_export(version)["bank"]["translations"] == shipped["bank"]["translations"]


def test_a_files_bank_translation_is_checked_like_the_others():
    data = read_bank_file()
    data["bank"]["translations"] = {"fr": {"description": "Une auto-évaluation"}}
    with pytest.raises(BankFormatError, match="bank: 'translations' holds 'fr'"):
        validate_bank_data(data)
