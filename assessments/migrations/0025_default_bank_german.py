"""German for the default bank's versions 1 and 2 on sites that loaded them
before bank versions had languages.

Those versions are published, so their rows are frozen, and migration 0024
marked them English-only. The German adds no question and changes no text,
key or place: only the words a German reader sees, the same translation that
new sites load from the shipped files. It is added only to versions that came
with the product (``shipped``) and whose every English text is the one the
translation was made from; any other version is left as it is.
"""

from django.db import migrations

from assessments.migrations._default_bank_german_v1 import GERMAN
from assessments.migrations._triggers_v2 import alter_frozen_tables


def add_german(apps, schema_editor):
    BankVersion = apps.get_model("assessments", "BankVersion")
    Item = apps.get_model("assessments", "Item")
    ItemOption = apps.get_model("assessments", "ItemOption")
    for version in BankVersion.objects.filter(
        bank__slug="default", shipped=True, number__in=list(GERMAN), language="en"
    ):
        if version.languages != ["en"]:
            continue
        german = GERMAN[version.number]
        items = {item.order: item for item in Item.objects.filter(version=version)}
        options = {
            (option.item.order, option.order): option
            for option in ItemOption.objects.filter(item__version=version).select_related("item")
        }
        expected_options = {
            (order, option_order): texts
            for order, (_en, _de, responses) in german.items()
            for option_order, texts in responses.items()
        }
        same = set(items) == set(german) and set(options) == set(expected_options)
        same = same and all(items[order].text == german[order][0] for order in german)
        same = same and all(
            options[key].text == texts[0] for key, texts in expected_options.items()
        )
        if not same:
            continue
        for order, (_en, de, _responses) in german.items():
            items[order].translations = {"de": {"text": de}}
        for key, (_en, de) in expected_options.items():
            options[key].translations = {"de": {"text": de}}
        Item.objects.bulk_update(items.values(), ["translations"])
        ItemOption.objects.bulk_update(options.values(), ["translations"])
        version.languages = ["en", "de"]
        version.save(update_fields=["languages"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0024_languages_and_preferences"),
    ]

    operations = alter_frozen_tables(
        migrations.RunPython(add_german, migrations.RunPython.noop),
    )
