"""The i18n template library that keeps constant translations (assessments/templatetags/
translations.py): it must render exactly what Django's own tags render, in whichever
language is active at each render, and forget what it kept when the catalogues change."""

from pathlib import Path
from typing import cast

import pytest
from django.template import Context, Template, engines
from django.template.backends.django import DjangoTemplates
from django.templatetags import i18n as django_i18n
from django.test import override_settings
from django.utils import autoreload, translation

from assessments.templatetags import translations

pytestmark = pytest.mark.usefixtures("_fresh_cache")


@pytest.fixture
def _fresh_cache():
    translations._rendered.clear()
    yield
    translations._rendered.clear()


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load i18n %}" + source).render(Context(context))


def test_load_i18n_is_this_library_with_all_of_djangos_tags_and_filters():
    libraries = cast(DjangoTemplates, engines["django"]).engine.template_libraries
    assert libraries["i18n"] is translations.register
    assert set(django_i18n.register.tags) <= set(translations.register.tags)
    assert set(django_i18n.register.filters) <= set(translations.register.filters)


def test_one_template_renders_each_language_it_is_read_in():
    template = Template(
        '{% load i18n %}{% translate "Next" %}|{% translate "Next" context "page" %}'
    )
    for language, expected in (
        ("de", "Weiter|Nächste"),
        ("en", "Next|Next"),
        ("de", "Weiter|Nächste"),
    ):
        with translation.override(language):
            assert template.render(Context()) == expected
    assert {key[3] for key in translations._rendered} == {"de", "en"}


def test_constant_translations_are_kept_and_variables_are_not():
    assert render('{% translate "Sign out" %}', "de") == "Abmelden"
    assert ("Sign out", None, False, "de", True) in translations._rendered
    assert render("{% translate word %}", "de", word="Next") == "Weiter"
    assert render("{% translate word %}", "de", word="Sign out") == "Abmelden"
    assert render('{% translate "Next"|upper %}', "de") == "WEITER"
    assert render('{% translate "Next" as next %}[{{ next }}]', "de") == "[Weiter]"
    assert render('{% translate "Next" noop %}', "de") == "Next"
    assert sorted(key[:3] for key in translations._rendered) == [
        ("Next", None, True),  # noop: the message as written, kept too
        ("Sign out", None, False),
    ]


def test_autoescaping_is_part_of_what_is_kept():
    source = '{% translate "Tom & Jerry" %}'
    assert render(source, "en") == "Tom & Jerry"  # a template's own text is trusted
    assert render("{% autoescape off %}" + source + "{% endautoescape %}", "en") == "Tom & Jerry"
    assert {key[4] for key in translations._rendered} == {True, False}


def test_blocktranslate_trims_once_and_renders_plurals_again_and_again():
    template = Template(
        "{% load i18n %}{% blocktranslate trimmed count count=n %}\n  {{ count }} result from this"
        " browser is now saved to your account.\n{% plural %}\n  {{ count }} results from this"
        " browser are now saved to your account.\n{% endblocktranslate %}"
    )
    with translation.override("de"):
        for n, word in ((1, "Ergebnis"), (3, "Ergebnisse"), (1, "Ergebnis"), (2, "Ergebnisse")):
            text = template.render(Context({"n": n}))
            assert text.startswith(f"{n} {word} aus diesem Browser"), text


def test_blocktranslate_escapes_its_values():
    source = "{% blocktranslate with name=name %}Remove {{ name }}{% endblocktranslate %}"
    assert render(source, "en", name="<b>Ann</b>") == "Remove &lt;b&gt;Ann&lt;/b&gt;"


def test_a_changed_catalogue_or_language_setting_forgets_what_was_kept():
    render('{% translate "Next" %}', "de")
    assert translations._rendered
    autoreload.file_changed.send(sender=None, file_path=Path("locale/de/LC_MESSAGES/x.po"))
    assert translations._rendered, "only a compiled catalogue counts"
    autoreload.file_changed.send(sender=None, file_path=Path("locale/de/LC_MESSAGES/django.mo"))
    assert not translations._rendered
    render('{% translate "Next" %}', "de")
    with override_settings(LANGUAGES=[("en", "English")]):
        assert not translations._rendered
