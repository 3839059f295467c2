"""The German catalogue is complete, compiles, matches what the code marks,
and the compiled file shipped beside it is the catalogue's."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = settings.APP_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

MSGFMT, MSGCAT = shutil.which("msgfmt") or "msgfmt", shutil.which("msgcat") or "msgcat"
needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext is missing: apt-get install gettext"
)


def entries(po: Path) -> dict[tuple[str, str], list[str]]:
    """(context, msgid) → its msgstr(s), read by msgcat's canonical form."""
    found: dict[tuple[str, str], list[str]] = {}
    text = subprocess.run(
        [MSGCAT, "--no-wrap", "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for block in text.split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                assert key is not None
                fields[key][-1] += line[1:-1]
                continue
            key, _, value = line.partition(" ")
            fields.setdefault(key, []).append(value[1:-1])
        if fields.get("msgid") and fields["msgid"][0]:
            context = fields.get("msgctxt", [""])[0]
            strings = [v[0] for k, v in fields.items() if k.startswith("msgstr")]
            found[(context, fields["msgid"][0])] = strings
    return found


@needs_gettext
def test_the_catalogue_compiles_with_no_untranslated_or_fuzzy_entry():
    checked = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    # "N translated messages." and nothing about fuzzy or untranslated ones.
    assert "fuzzy" not in checked.stderr and "untranslated" not in checked.stderr, checked.stderr
    assert all(all(strings) for strings in entries(PO).values())


@needs_gettext
def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages over the code as it is finds no string the catalogue lacks,
    and the catalogue keeps none the code no longer marks."""
    for folder in ("assessments", "templates", "config", "ratelimits"):
        shutil.copytree(
            ROOT / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("locale", "__pycache__", "data", "migrations"),
        )
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "de", "--no-location"],
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PATH": "/usr/bin:/bin",
        },
        check=True,
        capture_output=True,
    )
    # makemessages writes a folder's strings to the nearest locale folder it
    # knows (the copy's settings name assessments/locale), so read them all.
    made = list(tmp_path.glob("**/locale/de/LC_MESSAGES/django.po"))
    assert made, "makemessages wrote no catalogue"
    marked = set().union(*(entries(po) for po in made))
    catalogued = set(entries(PO))
    assert not sorted(marked - catalogued), "marked but not in the catalogue (run makemessages)"
    assert not sorted(catalogued - marked), "in the catalogue but marked nowhere"


@needs_gettext
def catalogue(mo: Path) -> dict:
    """msgid → msgstr of a compiled catalogue (the standard library keeps it
    in a private attribute, the one complete view of what a .mo holds)."""
    with mo.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]


def test_the_shipped_compiled_catalogue_is_the_catalogue(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run([MSGFMT, "-o", str(fresh), str(PO)], check=True)
    assert catalogue(MO) == catalogue(fresh)


def test_german_differs_from_english_where_words_are_translated():
    """A translation copied over from the English is a translation missed.
    Names, codes and one-word technical terms German uses as they are
    (Dashboard, Team, HR) may stay."""
    same = [
        msgid
        for msgid, msgstr in catalogue(MO).items()
        if isinstance(msgid, str) and msgid and msgid == msgstr and len(msgid.split()) > 2
    ]
    assert not same, same
