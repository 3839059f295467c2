"""Django's i18n template library, without the work that is the same on every render.

`{% translate "constant" %}` looks its message up in the active language and escapes the
result again on every render: about 9 µs here, and a page has 20 to 40 of them (HR's list
of people has several a row). For a constant message without filters the output depends
only on the message, its context, the language and autoescaping, so it is kept per those.

`{% blocktranslate trimmed %}` joins its tokens into a message id and trims it with a
regular expression on every render; the id depends on the template alone, so each node
builds it once. Without a plural, it also skips pushing its values onto the context only
to look them up there again (about 15 µs a render before, 8 after; HR's list of people
has two or three a row).

The project's templates `{% load translations %}` instead of i18n (a test holds them to
it); every other tag and filter of i18n is Django's own. The kept texts are dropped
whenever Django drops its catalogues: a .mo file changing under runserver, or a test
changing the languages.
"""

from collections.abc import Callable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Library, Node
from django.template.base import FilterExpression, Variable, render_value_in_context
from django.templatetags import i18n
from django.utils import autoreload, translation
from django.utils.safestring import SafeString

register = Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

# (message, context, noop, language, autoescape) -> the rendered text; a few thousand at most:
# the catalogue's messages times the site's languages.
_rendered: dict[tuple[str | None, str | None, bool, str, bool], str] = {}
# (message, context, language) -> a blocktranslate's message in that language, to fill in
_translated: dict[tuple[str, str | None, str], str] = {}


def constant_text(expression: FilterExpression | None) -> str | None:
    """The text of a quoted constant without filters, else None."""
    if expression is None or expression.filters:
        return None
    # A constant is a string once parsed; TranslateNode wraps its message in a Variable.
    text = expression.var.literal if isinstance(expression.var, Variable) else expression.var
    return text if isinstance(text, str) else None


def kept[K](store: dict[K, str], key: K, render: Callable[[Context], str], context: Context) -> str:
    """``store[key]``, rendered into it the first time."""
    try:
        return store[key]
    except KeyError:
        value = store[key] = render(context)
        return value


class TranslateNode(i18n.TranslateNode):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.message = constant_text(self.filter_expression)
        self.context_text = constant_text(self.message_context)
        self.constant = (
            self.message is not None
            and self.asvar is None
            and (self.message_context is None or self.context_text is not None)
        )

    def render(self, context) -> str:
        if not self.constant:
            return super().render(context)
        key = (
            self.message,
            self.context_text,
            self.noop,
            translation.get_language(),
            context.autoescape,
        )
        return kept(_rendered, key, super().render, context)


class BlockTranslateNode(i18n.BlockTranslateNode):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.singular_message = super().render_token_list(self.singular)
        self.plural_message = super().render_token_list(self.plural) if self.plural else None

    def render_token_list(self, tokens) -> tuple[str, list[str]]:
        if tokens is self.singular:
            message, names = self.singular_message
        elif tokens is self.plural and self.plural_message is not None:
            message, names = self.plural_message
        else:
            return super().render_token_list(tokens)
        return message, list(names)  # a copy: render() extends it with the plural's names

    def render(self, context, nested: bool = False) -> str:
        """Django's render for a message without a plural, minus its work on the context:
        Django pushes the ``with`` values onto the context only to look each one up there
        again (through every level of a deep context, a row's in a table). Anything
        unusual (a plural, a message its values do not fit) is Django's own render."""
        if nested or self.plural:
            return super().render(context, nested)
        message_context = self.message_context.resolve(context) if self.message_context else None
        values = {name: value.resolve(context) for name, value in self.extra_context.items()}
        message, names = self.singular_message
        key = (message, message_context, translation.get_language())
        try:
            result = _translated[key]
        except KeyError:
            result = _translated[key] = (
                translation.pgettext(message_context, message)
                if message_context
                else translation.gettext(message)
            )
        data = {}
        for name in names:
            if name in values:
                value = values[name]
            elif name in context:
                value = context[name]
            else:
                invalid = context.template.engine.string_if_invalid
                value = invalid % name if "%s" in invalid else invalid
            data[name] = render_value_in_context(value, context)
        try:
            result %= data
        except (KeyError, ValueError):
            return super().render(context)  # Django's: says so, or falls back to the source
        if self.asvar:
            context[self.asvar] = SafeString(result)
            return ""
        return result


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token) -> Node:
    node = i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token) -> Node:
    node = i18n.do_block_translate(parser, token)
    return BlockTranslateNode(
        node.extra_context,
        node.singular,
        node.plural,
        node.countervar,
        node.counter,
        node.message_context,
        trimmed=node.trimmed,
        asvar=node.asvar,
        tag_name=node.tag_name,  # type: ignore[attr-defined]  # missing from django-stubs
    )


@receiver(autoreload.file_changed, dispatch_uid="translations_file_changed")
def _catalogue_changed(sender, file_path, **kwargs) -> None:
    if file_path.suffix == ".mo":
        _rendered.clear()
        _translated.clear()


@receiver(setting_changed, dispatch_uid="translations_setting_changed")
def _languages_changed(*, setting, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "USE_I18N"}:
        _rendered.clear()
        _translated.clear()
