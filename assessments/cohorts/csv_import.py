"""Reading a CSV of participants: every row checked, nothing stored here.

Pure Python apart from Django's email validator, its language names and
its translations of the messages, so every rule is easy to test. The caller
decides what to do with the valid rows.

The column names (name, email, team, language) are a machine format and stay
in English whatever the reader's language; the reasons a row is rejected are
written in the language of the HR admin who uploaded the file.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

COLUMNS = ("name", "email", "team")
# Columns a file may have or leave out: an empty language is the organisation's.
OPTIONAL_COLUMNS = ("language",)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
MAX_NAME = 200
MAX_TEAM = 100
MAX_EMAIL = 254  # Participant.email's column; PostgreSQL refuses longer


class CsvFileError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    team: str
    language: str = ""  # a code of settings.LANGUAGES; empty for the organisation's


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    values: tuple[str, ...]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)


def language_names() -> dict[str, str]:
    """What a language cell may say, in lower case, and the language's code:
    the code itself ("de", also "de-DE" or "de_AT"), its English name
    ("German") and its own ("Deutsch")."""
    names: dict[str, str] = {}
    for code, own_name in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        for name in (code, own_name, info.get("name", ""), info.get("name_local", "")):
            if name:
                names[name.lower()] = code
    return names


def read_language(value: str) -> str | None:
    """The language code a cell names, "" for an empty one (the
    organisation's), or None for one the site does not speak."""
    text = value.strip().lower()
    if not text:
        return ""
    names = language_names()
    return names.get(text) or names.get(text.replace("_", "-").split("-")[0])


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {
                "size": number_format(len(data) / 1024 / 1024, 1),
                "limit": MAX_BYTES // 1024 // 1024,
            }
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            _(
                "The file is not UTF-8 text (byte %(byte)s cannot be read). "
                'In Excel, save it as "CSV UTF-8 (comma delimited)" and upload it again.'
            )
            % {"byte": error.start + 1}
        ) from error
    if "\x00" in text:
        raise CsvFileError(
            _(
                "The file contains a NUL character, which no name, email or team has: it is "
                'probably not a CSV. In Excel, save it as "CSV UTF-8 (comma delimited)".'
            )
        )
    return text


def _header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFileError(_("The file is empty.")) from None
    names = [cell.strip().lower() for cell in header]
    unknown = [name for name in names if name not in COLUMNS + OPTIONAL_COLUMNS]
    missing = [column for column in COLUMNS if column not in names]
    if unknown or missing or len(set(names)) != len(names):
        problems = []
        if unknown:
            problems.append(
                _("unknown column %(names)s") % {"names": ", ".join(repr(name) for name in unknown)}
            )
        if missing:
            problems.append(
                _("missing column %(names)s") % {"names": ", ".join(repr(name) for name in missing)}
            )
        if len(set(names)) != len(names):
            problems.append(_("a column appears twice"))
        raise CsvFileError(
            _("The first line must name the columns name, email and team: %(problems)s.")
            % {"problems": "; ".join(problems)}
        )
    return names


def _reader(text: str):
    try:
        # The header line alone decides the delimiter: names may hold commas.
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def parse(text: str, *, existing_emails: set[str], existing_teams: dict[str, str]) -> Parsed:
    """Check every row of a participants CSV.

    ``existing_emails`` are the cohort's emails already taken (lower case);
    ``existing_teams`` maps lower-case team names to their stored spelling.
    """
    reader = _reader(text)
    try:
        names = _header(reader)
        parsed = Parsed()
        seen: set[str] = set()
        new_teams: dict[str, str] = {}
        for values in reader:
            if not any(cell.strip() for cell in values):
                continue
            if len(parsed.rows) + len(parsed.rejected) >= MAX_ROWS:
                raise CsvFileError(
                    _("The file has more than %(rows)s rows; split it.")
                    % {"rows": number_format(MAX_ROWS, force_grouping=True)}
                )
            row = _row(reader.line_num, values, names, seen, existing_emails)
            if isinstance(row, Rejected):
                parsed.rejected.append(row)
                continue
            seen.add(row.email)
            team_key = row.team.lower()
            team = existing_teams.get(team_key) or new_teams.setdefault(team_key, row.team)
            parsed.rows.append(Row(row.line, row.name, row.email, team, row.language))
    except csv.Error as error:
        raise CsvFileError(_("The file is not valid CSV: %(error)s.") % {"error": error}) from error
    parsed.new_teams = sorted(new_teams.values(), key=str.lower)
    return parsed


def _row(
    line: int, values: list[str], names: list[str], seen: set[str], existing: set[str]
) -> "Row | Rejected":
    """One line as a row (team as written), or the reason it is rejected."""
    cells = tuple(cell.strip() for cell in values)
    if len(cells) != len(names):
        return Rejected(
            line,
            _("has %(cells)s cells, not %(columns)s")
            % {"cells": len(cells), "columns": len(names)},
            cells,
        )
    record = dict(zip(names, cells, strict=True))
    reason = _problem(record, seen, existing)
    if reason:
        return Rejected(line, reason, cells)
    language = read_language(record.get("language", "")) or ""
    return Row(line, record["name"], record["email"].lower(), record["team"], language)


def _problem(record: dict[str, str], seen: set[str], existing: set[str]) -> str | None:
    if not record["name"]:
        return _("the name is empty")
    if len(record["name"]) > MAX_NAME:
        return _("the name is longer than %(limit)s characters") % {"limit": MAX_NAME}
    if not record["email"]:
        return _("the email is empty")
    if len(record["email"]) > MAX_EMAIL:
        return _("the email is longer than %(limit)s characters") % {"limit": MAX_EMAIL}
    try:
        validate_email(record["email"])
    except ValidationError:
        return _("%(email)s is not an email address") % {"email": repr(record["email"])}
    if not record["team"]:
        return _("the team is empty")
    if len(record["team"]) > MAX_TEAM:
        return _("the team name is longer than %(limit)s characters") % {"limit": MAX_TEAM}
    if read_language(record.get("language", "")) is None:
        return _(
            "“%(language)s” is not a language this site speaks: write %(codes)s, "
            "or leave it empty for the organisation's"
        ) % {
            "language": record["language"][:20],
            "codes": get_text_list([code for code, _name in settings.LANGUAGES]),
        }
    email = record["email"].lower()
    if email in seen:
        return _("the same email appears on an earlier line")
    if email in existing:
        return _("this email is already in the cohort")
    return None
