"""Django's `{% url %}` and `{% static %}`, with constant addresses worked out once.

A `{% url "name" %}` without arguments reverses the same pattern on every render, about
15 µs here, and every page's header and footer have five to eight of them. A
`{% static "path" %}` looks up the same manifest entry every time. Both are kept: a URL
per URL configuration, script prefix, current application and language (all that
`reverse` reads besides the name); a static address per path. URLs with arguments and
`as` forms are Django's own, untouched. What was kept is dropped when a test changes the
URLs or the static files' settings.

settings.TEMPLATES makes this library a builtin, for `url`; the project's templates
`{% load addresses %}` instead of static (a test holds them to it), whose other tags are
Django's own.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library, Node, defaulttags
from django.templatetags import static
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

from assessments.templatetags.translations import constant_text, kept

register = Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)

# (name, current app, URL configuration, script prefix, language, autoescape) -> the address
_urls: dict[tuple[str, str | None, object, str, str, bool], str] = {}
# (path, autoescape) -> the address
_statics: dict[tuple[str, bool], str] = {}


class URLNode(defaulttags.URLNode):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        constant = not self.args and not self.kwargs and self.asvar is None
        self.name = constant_text(self.view_name) if constant else None

    def render(self, context) -> str:
        if self.name is None:
            return super().render(context)
        # The current application, found as Django's URLNode finds it.
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        # The language too: with i18n_patterns (none here yet) it would be in the URL.
        key = (
            self.name,
            current_app,
            get_urlconf(),
            get_script_prefix(),
            translation.get_language(),
            context.autoescape,
        )
        return kept(_urls, key, super().render, context)


class StaticNode(static.StaticNode):
    def __init__(self, varname=None, path=None) -> None:
        super().__init__(varname=varname, path=path)
        self.constant = constant_text(self.path) if varname is None else None

    def render(self, context) -> str:
        if self.constant is None:
            return super().render(context)
        key = (self.constant, context.autoescape)
        return kept(_statics, key, super().render, context)


@register.tag("url")
def url(parser, token) -> Node:
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.tag("static")
def do_static(parser, token) -> Node:
    node = static.do_static(parser, token)
    return StaticNode(varname=node.varname, path=node.path)


@receiver(setting_changed, dispatch_uid="addresses_setting_changed")
def _addresses_changed(*, setting, **kwargs) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _urls.clear()
    if setting in {"STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "STORAGES", "DEBUG"}:
        _statics.clear()
    if setting == "INSTALLED_APPS":
        _urls.clear()
        _statics.clear()
