"""Reading a CSV of participants: every row checked, nothing stored here.

Pure Python apart from Django's email validator, so every rule is easy to
test. The caller decides what to do with the valid rows.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

COLUMNS = ("name", "email", "team")
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


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
            'In Excel, save it as "CSV UTF-8 (comma delimited)" and upload it again.'
        ) from error
    if "\x00" in text:
        raise CsvFileError(
            "The file contains a NUL character, which no name, email or team has: it is "
            'probably not a CSV. In Excel, save it as "CSV UTF-8 (comma delimited)".'
        )
    return text


def _header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFileError("The file is empty.") from None
    names = [cell.strip().lower() for cell in header]
    unknown = [name for name in names if name not in COLUMNS]
    missing = [column for column in COLUMNS if column not in names]
    if unknown or missing or len(set(names)) != len(names):
        problems = []
        if unknown:
            problems.append("unknown column " + ", ".join(repr(name) for name in unknown))
        if missing:
            problems.append("missing column " + ", ".join(repr(name) for name in missing))
        if len(set(names)) != len(names):
            problems.append("a column appears twice")
        raise CsvFileError(
            f"The first line must name the columns name, email and team: {'; '.join(problems)}."
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
                raise CsvFileError(f"The file has more than {MAX_ROWS:,} rows; split it.")
            row = _row(reader.line_num, values, names, seen, existing_emails)
            if isinstance(row, Rejected):
                parsed.rejected.append(row)
                continue
            seen.add(row.email)
            team_key = row.team.lower()
            team = existing_teams.get(team_key) or new_teams.setdefault(team_key, row.team)
            parsed.rows.append(Row(row.line, row.name, row.email, team))
    except csv.Error as error:
        raise CsvFileError(f"The file is not valid CSV: {error}.") from error
    parsed.new_teams = sorted(new_teams.values(), key=str.lower)
    return parsed


def _row(
    line: int, values: list[str], names: list[str], seen: set[str], existing: set[str]
) -> "Row | Rejected":
    """One line as a row (team as written), or the reason it is rejected."""
    cells = tuple(cell.strip() for cell in values)
    if len(cells) != len(names):
        return Rejected(line, f"has {len(cells)} cells, not {len(names)}", cells)
    record = dict(zip(names, cells, strict=True))
    reason = _problem(record, seen, existing)
    if reason:
        return Rejected(line, reason, cells)
    return Row(line, record["name"], record["email"].lower(), record["team"])


def _problem(record: dict[str, str], seen: set[str], existing: set[str]) -> str | None:
    if not record["name"]:
        return "the name is empty"
    if len(record["name"]) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    if not record["email"]:
        return "the email is empty"
    if len(record["email"]) > MAX_EMAIL:
        return f"the email is longer than {MAX_EMAIL} characters"
    try:
        validate_email(record["email"])
    except ValidationError:
        return f"{record['email']!r} is not an email address"
    if not record["team"]:
        return "the team is empty"
    if len(record["team"]) > MAX_TEAM:
        return f"the team name is longer than {MAX_TEAM} characters"
    email = record["email"].lower()
    if email in seen:
        return "the same email appears on an earlier line"
    if email in existing:
        return "this email is already in the cohort"
    return None
