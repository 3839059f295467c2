"""Texts marked for translation where they are written and read as plain
strings in the active language.

The content modules are data, built at import, before anyone's language is
known; so they mark each text with a lazy gettext and translate it only when
it is read. Reading gives an ordinary ``str``, not a lazy proxy: a template, a
plotly figure, a form's choices or a regex takes it like any other string.
"""

from collections.abc import Iterator, Mapping, Sequence
from typing import overload

from django.utils.functional import Promise

Marked = str | Promise  # a text as written: a string or a lazily translated one


class LocalTexts(Sequence[str]):
    """A few texts, each read in the active language."""

    def __init__(self, *texts: Marked) -> None:
        self._texts = texts

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [str(text) for text in self._texts[index]]
        return str(self._texts[index])

    def __len__(self) -> int:
        return len(self._texts)


class LocalLabels[K](Mapping[K, str]):
    """Keys to texts, each text read in the active language."""

    def __init__(self, texts: Mapping[K, Marked]) -> None:
        self._texts = dict(texts)

    def __getitem__(self, key: K) -> str:
        return str(self._texts[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
