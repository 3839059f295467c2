"""The template tags that keep what is constant (assessments/templatetags/translations.py
and addresses.py): they must render exactly what Django's own render, in whichever
language, URL configuration and script prefix are in force at each render, and forget
what they kept when the catalogues or settings change."""

import re
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.template.backends.django import DjangoTemplates
from django.templatetags import i18n as django_i18n
from django.templatetags import static as django_static
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import autoreload, translation
from django.utils.safestring import mark_safe

from assessments.templatetags import addresses, translations

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

pytestmark = pytest.mark.usefixtures("_fresh_cache")


@pytest.fixture
def _fresh_cache():
    kept = (translations._rendered, translations._translated, addresses._urls, addresses._statics)
    for each in kept:
        each.clear()
    yield
    for each in kept:
        each.clear()


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load translations %}" + source).render(Context(context))


def test_the_libraries_have_all_of_djangos_tags_and_filters():
    engine = cast(DjangoTemplates, engines["django"]).engine
    assert engine.template_libraries["translations"] is translations.register
    assert engine.template_libraries["addresses"] is addresses.register
    assert addresses.register in engine.template_builtins  # for {% url %} without a load
    for django_library, ours in ((django_i18n, translations), (django_static, addresses)):
        assert set(django_library.register.tags) <= set(ours.register.tags)
        assert set(django_library.register.filters) <= set(ours.register.filters)


def test_the_projects_templates_load_these_rather_than_djangos():
    loads = []
    for path in Path(settings.TEMPLATES_DIR).rglob("*"):
        if path.is_file():
            for names in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text()):
                loads += [(path.name, name) for name in names.split() if name in {"i18n", "static"}]
    assert loads == [], "load translations and addresses: the same tags, faster"


def test_one_template_renders_each_language_it_is_read_in():
    template = Template(
        '{% load translations %}{% translate "Next" %}|{% translate "Next" context "page" %}'
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
        "{% load translations %}{% blocktranslate trimmed count count=n %}\n  {{ count }} result"
        " from this browser is now saved to your account.\n{% plural %}\n  {{ count }} results"
        " from this browser are now saved to your account.\n{% endblocktranslate %}"
    )
    with translation.override("de"):
        for n, word in ((1, "Ergebnis"), (3, "Ergebnisse"), (1, "Ergebnis"), (2, "Ergebnisse")):
            text = template.render(Context({"n": n}))
            assert text.startswith(f"{n} {word} aus diesem Browser"), text


def test_blocktranslate_escapes_its_values():
    source = "{% blocktranslate with name=name %}Remove {{ name }}{% endblocktranslate %}"
    assert render(source, "en", name="<b>Ann</b>") == "Remove &lt;b&gt;Ann&lt;/b&gt;"


BLOCKS = [
    '{% blocktranslate trimmed with person=name %}Remove<span class="visually-hidden">'
    " {{ person }}</span>{% endblocktranslate %}",
    "{% blocktranslate with n=number %}Page {{ n }} of {{ total }}{% endblocktranslate %}",
    "{% blocktranslate %}100% sure, {{ missing }}{{ name }}{% endblocktranslate %}",
    '{% blocktranslate context "page" with a=name %}Next {{ a }}{% endblocktranslate %}',
    "{% blocktranslate with a=name asvar kept %}Remove {{ a }}{% endblocktranslate %}[{{ kept }}]",
    "{% blocktranslate count people=number %}{{ people }} person{% plural %}{{ people }} people"
    "{% endblocktranslate %}",
    "{% for n in numbers %}{% with name=name %}{% blocktranslate with m=n %}{{ m }}, {{ name }}"
    "{% endblocktranslate %}{% endwith %}{% endfor %}",
]


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.parametrize("language", ["en", "de"])
def test_blocktranslate_renders_what_djangos_renders(block, language):
    values = [
        {"name": "<b>Ann</b>", "number": 1, "total": 2.5, "numbers": [1, 2]},
        {"name": mark_safe("<i>Bo</i>"), "number": 3, "total": 1234.5, "numbers": []},
    ]
    for context in values * 2:  # twice: what is kept must not change the second reading
        with translation.override(language):
            djangos = Template("{% load i18n %}" + block).render(Context(context))
            ours = Template("{% load translations %}" + block).render(Context(context))
        assert ours == djangos


def test_a_changed_catalogue_or_language_setting_forgets_what_was_kept():
    source = '{% translate "Next" %}{% blocktranslate %}Next{% endblocktranslate %}'
    render(source, "de")
    assert translations._rendered and translations._translated
    autoreload.file_changed.send(sender=None, file_path=Path("locale/de/LC_MESSAGES/x.po"))
    assert translations._rendered, "only a compiled catalogue counts"
    autoreload.file_changed.send(sender=None, file_path=Path("locale/de/LC_MESSAGES/django.mo"))
    assert not translations._rendered and not translations._translated
    render(source, "de")
    with override_settings(LANGUAGES=[("en", "English")]):
        assert not translations._rendered and not translations._translated


# Addresses ------------------------------------------------------------------------------


def test_a_constant_url_is_kept_per_script_prefix_and_language():
    template = Template("{% url 'taking:home' %}|{% url 'accounts:login' %}")
    assert template.render(Context()) == f"{reverse('taking:home')}|{reverse('accounts:login')}"
    set_script_prefix("/spectrum/")
    try:
        assert template.render(Context()) == "/spectrum/|/spectrum/accounts/login/"
    finally:
        set_script_prefix("/")
    assert template.render(Context()) == "/|/accounts/login/"
    assert {key[3] for key in addresses._urls} == {"/", "/spectrum/"}
    with translation.override("de"):
        assert template.render(Context()) == "/|/accounts/login/"
    assert {key[4] for key in addresses._urls} == {"en", "de"}


def test_urls_with_arguments_or_as_are_djangos_and_unknown_names_still_fail():
    template = Template("{% url 'cohorts:detail' pk %}{% url 'taking:home' as home %}[{{ home }}]")
    assert template.render(Context({"pk": 7})) == reverse("cohorts:detail", args=[7]) + "[/]"
    assert template.render(Context({"pk": 8})) == reverse("cohorts:detail", args=[8]) + "[/]"
    assert not addresses._urls
    with pytest.raises(NoReverseMatch):
        Template("{% url 'taking:nowhere' %}").render(Context())
    assert not addresses._urls


def test_a_changed_url_configuration_forgets_what_was_kept():
    Template("{% url 'taking:home' %}").render(Context())
    assert addresses._urls
    with override_settings(ROOT_URLCONF="config.urls"):
        assert not addresses._urls


def test_a_constant_static_address_is_the_storages_and_forgotten_with_its_settings():
    template = Template("{% load addresses %}{% static 'css/site.css' %}")
    with override_settings(STORAGES=PLAIN_STATIC, STATIC_URL="/static/"):
        assert template.render(Context()) == "/static/css/site.css"
        assert addresses._statics
        with override_settings(STATIC_URL="/assets/"):
            assert not addresses._statics
            assert template.render(Context()) == "/assets/css/site.css"
    assert not addresses._statics
