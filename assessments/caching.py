"""Keys for rendered pieces of pages kept in the cache: a piece is stored
under the data it shows and a digest of the sources that draw it, so a
change of either gives a new key and no stale piece is ever read, even from
a cache that servers of several deploys share."""

import hashlib
from collections.abc import Iterable
from pathlib import Path


def sources_digest(sources: Iterable[Path]) -> str:
    """A short digest of these files' contents, in the order given."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def data_digest(*parts: object) -> str:
    """A short digest of values whose ``repr`` says all they hold (numbers,
    strings, frozen dataclasses of them)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
