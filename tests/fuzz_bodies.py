"""What each fuzzed endpoint is sent (tests/test_fuzz.py lists them): its
malformed bodies, each with a poison that makes it invalid however the rest
came out, and what a body may store where a valid one would."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import strategies as st

from tests.cast import PASSWORD
from tests.fuzzing import (
    ABSURD_ITEM_KEY,
    NUMBERS,
    TEXT,
    VALUE,
    Body,
    FuzzWorld,
    Pairs,
    body,
    invalid_value,
    noise,
    not_an_id_of,
)

# --- The endpoints ---------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One endpoint: who posts to it, and what a request may store."""

    role: str
    url: Callable[[FuzzWorld, st.DataObject], str]
    bodies: Callable[[FuzzWorld, str], st.SearchStrategy[Body]]
    may_store: Callable[[FuzzWorld, object, Body], set[str]] = lambda world, response, body: set()


def page_url(world: FuzzWorld, data: st.DataObject) -> str:
    # Mostly a real page; sometimes none (0, past the end, absurdly far).
    last = max(world.pages)
    number = data.draw(st.sampled_from([*world.pages, *world.pages, 0, last + 1, 10**20]))
    return reverse("taking:attempt_page", args=[world.attempt_id, number])


def page_number(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[1])


def answers_poison(world: FuzzWorld, on_page: list[int], off_page: list[int]):
    """Invalid whatever else is in the body: an answer out of range to a
    question of the page, or any answer to a question that is not on it."""
    answers = [str(value) for value in range(1, 6)]
    bad_value = st.tuples(
        st.sampled_from(on_page).map(lambda pk: f"item_{pk}"), invalid_value({"", *answers})
    )
    not_on_page = {f"item_{pk}" for pk in on_page}
    elsewhere = st.tuples(
        st.one_of(
            st.sampled_from(world.foreign_items + off_page).map(lambda pk: f"item_{pk}"),
            ABSURD_ITEM_KEY.filter(lambda key: key not in not_on_page),
        ),
        st.sampled_from(answers),
    )
    return st.one_of(bad_value, elsewhere).map(lambda pair: [pair])


def page_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    number = page_number(url)
    on_page = world.pages.get(number) or world.pages[1]
    off_page = [pk for pk in world.item_ids if pk not in on_page]
    fields = [f"item_{pk}" for pk in world.item_ids] + ["direction"]
    # Going back saves what is answered without asking for the rest.
    direction = st.sampled_from([[], [("direction", "back")], [("direction", "next")]])
    poison = st.tuples(direction, answers_poison(world, on_page, off_page))
    return body(fields, poison.map(lambda parts: parts[0] + parts[1]))


def autosave_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    fields = [f"item_{pk}" for pk in world.item_ids]
    return body(fields, answers_poison(world, world.item_ids, []))


def started(world: FuzzWorld, response, body: Body) -> set[str]:
    """Starting takes no input: any POST starts one attempt, nothing more."""
    if response.status_code == 302 and "/pages/1/" in response["Location"]:
        return {"assessments.Attempt", "attempts (last update)"}
    return set()


INVALID_EMAILS = st.one_of(
    st.sampled_from(
        [
            "",
            "not-an-email",
            "a@",
            "@example.com",
            "a@b@example.com",
            "a b@example.com",
            "a@exa mple.com",
            "alice@example..com",
            "\x00@example.com",
            "x" * 250 + "@example.com",
        ]
    ),
    TEXT.filter(lambda text: "@" not in text),
)


def join_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    bad_team = st.one_of(
        st.just(str(world.outside_team)),
        NUMBERS.filter(not_an_id_of(world.cohort_teams)),
        TEXT.filter(not_an_id_of(world.cohort_teams)),
    )
    bad_name = st.one_of(
        st.sampled_from(["", "   ", "\x00", "Eve\x00", "x" * 201]),
        TEXT.map(lambda text: text + "\x00"),
    )
    poison = st.one_of(
        INVALID_EMAILS.map(lambda email: [("email", email)]),
        bad_team.map(lambda team: [("team", team)]),
        bad_name.map(lambda name: [("name", name)]),
    )
    return body(["name", "email", "team"], poison)


def signup_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    mismatch = TEXT.map(lambda p: [("password1", p + "a-long-pass"), ("password2", p + "x")])
    bad_username = st.one_of(
        st.sampled_from(["", " ", "bad name", "a/b", "x" * 151, "alice", "ALICE", "\x00"]),
        TEXT.map(lambda text: text + " !"),
    ).map(lambda name: [("username", name)])
    return body(
        ["username", "email", "password1", "password2", "next"],
        st.one_of(mismatch, bad_username),
    )


def login_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    poison = st.tuples(
        st.one_of(st.just("alice"), TEXT), VALUE.filter(lambda value: value != PASSWORD)
    ).map(lambda up: [("username", up[0]), ("password", up[1])])
    return body(["username", "password", "next"], poison)


def share_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    # Anything but "on" means "stop sharing", and nothing is shared yet.
    return body(["shared"], invalid_value({"on"}).map(lambda value: [("shared", value)]))


def csv_text() -> st.SearchStrategy[str]:
    cell = st.one_of(
        TEXT,
        st.emails(),
        st.sampled_from(["EMEA sales", "US sales", "New team", "", '"', '""', "\x00", "=1+1"]),
    )
    header = st.one_of(
        st.permutations(["name", "email", "team"]),
        st.permutations(["Name ", " EMAIL", "Team"]),
        st.lists(
            st.sampled_from(["name", "email", "team", "Name", " EMAIL ", "extra", "", "\x00"]),
            max_size=5,
        ),
    )
    rows = st.lists(
        st.one_of(st.lists(cell, min_size=3, max_size=3), st.lists(cell, max_size=5)), max_size=8
    )
    separators = st.sampled_from([",", ",", ";", "\t", "|"])
    newlines = st.sampled_from(["\n", "\r\n", "\r"])
    return st.builds(
        lambda head, rows, sep, nl, bom: (
            ("\ufeff" if bom else "") + nl.join(sep.join(line) for line in [head, *rows])
        ),
        header,
        rows,
        separators,
        newlines,
        st.booleans(),
    )


def csv_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    utf8 = csv_text().map(lambda text: text.encode("utf-8"))
    content = st.one_of(
        utf8,
        utf8,
        utf8,
        st.binary(max_size=3000),
        csv_text().map(lambda text: text.encode("utf-16")),
        csv_text().map(lambda text: text.encode("latin-1", "replace")),
    )
    filename = st.one_of(
        st.sampled_from(
            ["people.csv", "x", "../../etc/passwd", "名前.csv", "a" * 300 + ".csv", "a\x00b.csv"]
        ),
        # Django itself refuses to make a file without a name (a test error,
        # not the app's), so no name is empty or only a path.
        TEXT.map(lambda name: name.replace("/", "_").replace("\\", "_")).filter(
            lambda name: name not in ("", ".", "..")
        ),
    )
    upload = st.builds(SimpleUploadedFile, filename, content, st.sampled_from(["text/csv", ""]))
    # Mostly one file where the form wants it; sometimes none, two, or
    # under another name. (A plain one_of would mostly pick "none".)
    files = st.builds(
        lambda shape, first, more: (
            {"file": [first, *more]}
            if shape == 1
            else {}
            if shape == 2
            else {"upload": [first]}
            if shape == 3
            else {"file": [first]}
        ),
        st.integers(0, 9),
        upload,
        st.lists(upload, min_size=1, max_size=2),
    )
    # A browser always sends the CSRF token beside the file; without any
    # other field the view treats the form as not sent at all.
    token = [("csrfmiddlewaretoken", "x")]
    multipart = st.builds(
        Body,
        st.just("multipart"),
        st.one_of(st.just([]), noise(st.just("file"))).map(token.__add__),
        files=files,
    )
    return st.one_of(multipart, multipart, multipart, body(["file"], st.just([])))


def csv_previewed(world: FuzzWorld, response, body: Body) -> set[str]:
    """A readable file is kept for the HR admin to confirm; nobody is added."""
    if response.status_code == 302 and "/imports/" in response["Location"]:
        return {"assessments.ParticipantImport"}
    return set()


def cohort_bodies(world: FuzzWorld, url: str) -> st.SearchStrategy[Body]:
    minute = st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))

    def mostly(valid, junk=VALUE):
        return st.one_of(valid, valid, valid, junk)

    near_valid = st.fixed_dictionaries(
        {
            "name": mostly(st.one_of(st.just("Q3 cohort"), TEXT.filter(str.strip))),
            "description": mostly(st.just(""), TEXT),
            "bank_version": mostly(st.just(str(world.published_version))),
            "opens_at": mostly(st.just(""), minute),
            "closes_at": mostly(st.just(""), minute),
            "min_group_size": mostly(st.integers(3, 50).map(str)),
            "identified": st.sampled_from(["", "on", "off", "true"]),
            "new_teams": st.one_of(st.just(""), TEXT, st.lists(TEXT).map("\n".join)),
        }
    ).map(lambda fields: list(fields.items()))
    existing = st.lists(
        mostly(st.sampled_from([str(pk) for pk in world.cohort_teams])), min_size=1, max_size=3
    ).map(lambda teams: [("existing_teams", team) for team in teams])
    poison = st.one_of(
        st.sampled_from(["2", "0", "-1", "x", "", "3.5"]).map(lambda v: [("min_group_size", v)]),
        st.one_of(
            st.just(str(world.draft_version)),
            st.just("0"),
            TEXT.filter(not_an_id_of([world.published_version])),
        ).map(lambda v: [("bank_version", v)]),
        st.sampled_from(["", "   ", "x" * 201, "Q3\x00"]).map(lambda v: [("name", v)]),
        st.just([("opens_at", "2027-03-01T09:00"), ("closes_at", "2027-02-01T09:00")]),
    )
    fields = ["name", "description", "bank_version", "opens_at", "closes_at"]
    fields += ["min_group_size", "identified", "existing_teams", "new_teams"]

    def formed(poison: st.SearchStrategy[Pairs]) -> st.SearchStrategy[Body]:
        return st.builds(
            lambda transport, pairs, teams, extra, poison: Body(
                transport, pairs + teams + extra, poison
            ),
            st.sampled_from(["urlencoded", "multipart"]),
            near_valid,
            existing,
            st.one_of(st.just([]), noise(st.sampled_from(fields))),
            poison,
        )

    # A third of the bodies carry no poison, and may be valid.
    clean = formed(st.just([]))
    return st.one_of(clean, clean, clean, formed(poison), body(fields, poison))


def cohort_created(world: FuzzWorld, response, body: Body) -> set[str]:
    """Only a form the page accepted creates a cohort (and its new teams)."""
    if response.status_code == 302 and "/hr/cohorts/" in response["Location"] and not body.poison:
        return {"assessments.Cohort", "assessments.Cohort_teams", "assessments.Team"}
    return set()
