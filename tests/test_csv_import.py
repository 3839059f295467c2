"""Reading a participants CSV: every rule, without a database."""

import pytest

from assessments.cohorts import csv_import
from assessments.cohorts.csv_import import CsvFileError, decode, parse


def read(text: str, emails=(), teams=None):
    return parse(text, existing_emails=set(emails), existing_teams=teams or {})


def test_valid_rows_are_read_with_emails_in_lower_case():
    parsed = read("name,email,team\nAda Lovelace,Ada@Example.com,EMEA sales\n")
    assert [(r.line, r.name, r.email, r.team) for r in parsed.rows] == [
        (2, "Ada Lovelace", "ada@example.com", "EMEA sales")
    ]
    assert parsed.new_teams == ["EMEA sales"]


def test_columns_may_come_in_any_order_and_case():
    parsed = read("Team , EMAIL,Name\nUS sales,grace@example.com,Grace Hopper\n")
    assert parsed.rows[0].name == "Grace Hopper"
    assert parsed.rows[0].team == "US sales"


def test_existing_teams_keep_their_spelling_and_are_not_new():
    parsed = read(
        "name,email,team\nAda,ada@example.com,emea SALES\n", teams={"emea sales": "EMEA sales"}
    )
    assert parsed.rows[0].team == "EMEA sales"
    assert parsed.new_teams == []


def test_semicolon_separated_files_are_read():
    parsed = read("name;email;team\nAda;ada@example.com;EMEA\n")
    assert parsed.rows[0].email == "ada@example.com"


def test_names_with_commas_in_quotes_are_read():
    parsed = read('name,email,team\n"Lovelace, Ada",ada@example.com,EMEA\n')
    assert parsed.rows[0].name == "Lovelace, Ada"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Ada,not-an-email,EMEA", "is not an email address"),
        (",ada@example.com,EMEA", "the name is empty"),
        ("Ada,,EMEA", "the email is empty"),
        ("Ada,ada@example.com,", "the team is empty"),
        ("Ada,ada@example.com", "has 2 cells, not 3"),
        ("Ada,ada@example.com,EMEA,extra", "has 4 cells, not 3"),
        ("A" * 201 + ",ada@example.com,EMEA", "longer than 200"),
    ],
)
def test_bad_rows_are_rejected_with_their_line_and_reason(line, reason):
    parsed = read(f"name,email,team\n{line}\nGrace,grace@example.com,US\n")
    assert len(parsed.rows) == 1
    assert parsed.rejected[0].line == 2
    assert reason in parsed.rejected[0].reason


def test_duplicates_in_the_file_and_in_the_cohort_are_rejected():
    parsed = read(
        "name,email,team\nAda,ada@example.com,EMEA\nAda again,ADA@example.com,EMEA\n"
        "Grace,grace@example.com,US\n",
        emails={"grace@example.com"},
    )
    assert [r.name for r in parsed.rows] == ["Ada"]
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (3, "the same email appears on an earlier line"),
        (4, "this email is already in the cohort"),
    ]


def test_blank_lines_are_skipped():
    parsed = read("name,email,team\n\nAda,ada@example.com,EMEA\n,,\n")
    assert len(parsed.rows) == 1
    assert not parsed.rejected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("name,email\nAda,ada@example.com\n", "missing column 'team'"),
        ("name,email,team,phone\n", "unknown column 'phone'"),
        ("name,email,email\n", "missing column 'team'"),
        ("full name,e-mail,group\n", "unknown column"),
    ],
)
def test_a_wrong_header_rejects_the_whole_file(text, message):
    with pytest.raises(CsvFileError, match=message):
        read(text)


def test_non_utf8_bytes_are_refused_with_advice():
    with pytest.raises(CsvFileError, match="not UTF-8.*CSV UTF-8"):
        decode("name,email,team\nJosé,jose@example.com,EMEA\n".encode("latin-1"))


def test_a_utf8_byte_order_mark_is_accepted():
    assert decode("\ufeffname,email,team\n".encode()).startswith("name")


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(CsvFileError, match="the limit is 2 MB"):
        decode(b"x" * (csv_import.MAX_BYTES + 1))


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 3)
    rows = "".join(f"P{i},p{i}@example.com,T\n" for i in range(4))
    with pytest.raises(CsvFileError, match="more than 3 rows"):
        read("name,email,team\n" + rows)
