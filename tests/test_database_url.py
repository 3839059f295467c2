"""The database comes from the environment: a URL, PostgreSQL's parts, or SQLite;
a password with @ : / reaches libpq whole; pooling is a setting."""

import socket
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql.base import DatabaseWrapper
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from config.database import POSTGRESQL, SQLITE, database

SQLITE_PATH = Path("/srv/spectrum/db.sqlite3")
AWKWARD = "p@ss:w/rd?#% 'q\"\\"  # every character a URL or a conninfo string treats specially


def parts(**extra: str) -> dict[str, str]:
    return {
        "POSTGRES_HOST": "db",
        "POSTGRES_DB": "spectrum",
        "POSTGRES_USER": "spectrum",
        "POSTGRES_PASSWORD": AWKWARD,
        **extra,
    }


def libpq_parameters(config: dict) -> dict[str, str | int | None]:
    """What Django hands psycopg, written as libpq's conninfo string and read back."""
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None, "AUTOCOMMIT": True}, alias="probe")
    wanted = {"dbname", "user", "password", "host", "port"}
    params = {k: v for k, v in wrapper.get_connection_params().items() if k in wanted}
    return conninfo_to_dict(make_conninfo(**params))


def test_it_uses_sqlite_when_nothing_is_set():
    config = database({}, SQLITE_PATH)
    assert config["ENGINE"] == SQLITE
    assert config["NAME"] == str(SQLITE_PATH)
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_it_reads_a_url_with_a_percent_encoded_password():
    url = "postgres://spectrum:p%40ss%3Aw%2Frd@db.internal:6432/spectrum?sslmode=require"
    config = database({"DATABASE_URL": url}, SQLITE_PATH)
    assert config["ENGINE"] == POSTGRESQL
    assert (config["USER"], config["PASSWORD"]) == ("spectrum", "p@ss:w/rd")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6432, "spectrum")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_it_builds_postgresql_from_parts_without_quoting_anything():
    config = database(parts(POSTGRES_PORT="6543", POSTGRES_SSLMODE="verify-full"), SQLITE_PATH)
    assert config["ENGINE"] == POSTGRESQL
    assert config["PASSWORD"] == AWKWARD
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db", 6543, "spectrum")
    assert config["OPTIONS"] == {"sslmode": "verify-full"}


def test_a_password_with_at_colon_and_slash_reaches_libpq_whole():
    received = libpq_parameters(database(parts(), SQLITE_PATH))
    assert received["password"] == AWKWARD
    assert received["user"] == received["dbname"] == "spectrum"
    assert received["host"] == "db"


def test_the_database_defaults_to_the_users_name_as_the_postgres_image_does():
    config = database({"POSTGRES_HOST": "db", "POSTGRES_USER": "alice"}, SQLITE_PATH)
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["PORT"]) == (
        "alice",
        "alice",
        "",
        5432,
    )


def test_it_refuses_a_url_and_parts_together():
    with pytest.raises(ImproperlyConfigured, match="set one of them"):
        database(parts(DATABASE_URL="postgres://x@y/z"), SQLITE_PATH)


def test_it_explains_an_unreadable_url():
    with pytest.raises(ImproperlyConfigured, match=r"%40 %3A %2F"):
        database({"DATABASE_URL": "postgress://user@host/name"}, SQLITE_PATH)


@pytest.mark.parametrize(
    ("name", "value"),
    [("POSTGRES_PORT", "five"), ("POSTGRES_PORT", "0"), ("DJANGO_CONN_MAX_AGE", "-1")],
)
def test_it_refuses_a_number_that_is_not_one(name, value):
    with pytest.raises(ImproperlyConfigured, match=f"{name} must be a whole number"):
        database(parts(**{name: value}), SQLITE_PATH)


def test_pooling_replaces_persistent_connections():
    config = database(
        parts(DJANGO_DB_POOL_SIZE="4", DJANGO_DB_POOL_MIN_SIZE="2", DJANGO_DB_POOL_TIMEOUT="5"),
        SQLITE_PATH,
    )
    assert config["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 5}
    # Django refuses a pool beside persistent connections.
    assert config["CONN_MAX_AGE"] == 0


def test_pooling_is_off_unless_asked_for():
    config = database(parts(), SQLITE_PATH)
    assert "pool" not in config["OPTIONS"]
    assert config["CONN_MAX_AGE"] == 60


def test_the_pools_smallest_size_never_exceeds_its_largest():
    config = database(parts(DJANGO_DB_POOL_SIZE="1", DJANGO_DB_POOL_MIN_SIZE="3"), SQLITE_PATH)
    assert config["OPTIONS"]["pool"]["min_size"] == 1


def test_pooling_sqlite_is_refused_with_a_reason():
    with pytest.raises(ImproperlyConfigured, match="with SQLite leave it unset"):
        database({"DJANGO_DB_POOL_SIZE": "4"}, SQLITE_PATH)


def test_pgbouncer_in_transaction_mode_can_turn_server_side_cursors_off():
    config = database(parts(DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS="true"), SQLITE_PATH)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "DISABLE_SERVER_SIDE_CURSORS" not in database(parts(), SQLITE_PATH)


def postgresql_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not postgresql_is_up(), reason="needs PostgreSQL on 127.0.0.1:5432")
def test_a_pooled_connection_from_these_settings_answers_and_goes_back_to_the_pool(
    django_db_blocker,
):
    config = database(
        {
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": "postgres",
            "POSTGRES_PASSWORD": AWKWARD,  # trust authentication ignores it; libpq carries it
            "DJANGO_DB_POOL_SIZE": "2",
        },
        SQLITE_PATH,
    )
    wrapper = DatabaseWrapper(
        {**config, "TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False},
        alias="pool-probe",
    )
    # Its own connection to the server's own database: no test database is needed.
    with django_db_blocker.unblock():
        try:
            check_pooled_connection(wrapper)
        finally:
            wrapper.close_pool()


def check_pooled_connection(wrapper: DatabaseWrapper) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        assert cursor.fetchone() == ("postgres", "postgres")
    assert wrapper.connection.info.password == AWKWARD
    pool = wrapper.pool
    assert pool is not None and pool.max_size == 2
    wrapper.close()  # a pooled connection goes back rather than being closed
    assert pool.get_stats()["pool_available"] >= 1
