"""Opening the registry's database: a SQLite file by default, PostgreSQL by URL.

The schema is created and upgraded by Alembic migrations shipped in the package
(``activity/migrations``); a database made by an older release is brought up to date with
``paradiplomacy activity upgrade --db URL`` (or ``init``), and one made by a newer release is
refused, never touched.

Several commands may write to one registry at once. On SQLite a write session takes the write
lock when it begins (``BEGIN IMMEDIATE``), so that two writers never both hold a read lock and
wait for each other to upgrade it; a writer waits for the other's lock up to
``$PARADIPLOMACY_DB_TIMEOUT`` seconds (30 by default), as PostgreSQL does for row locks
(``lock_timeout``). A wait that runs out is a user error (:class:`RegistryBusy`), and the
transaction is rolled back whole. Shared rows (regions, partners, activities) are inserted with
``INSERT … ON CONFLICT DO NOTHING``, so concurrent writers never clash on a unique key.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    Table,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from paradiplomacy.activity.models import Region
from paradiplomacy.io.errors import InputError
from paradiplomacy.regions import subjects

DEFAULT_URL = "sqlite:///paradiplomacy-activity.sqlite"
DEFAULT_TIMEOUT = 30.0
WRITE = "paradiplomacy_write"  # execution option: this connection's transaction will write
MIGRATION_LOCK = 7_215_019_140  # PostgreSQL advisory lock held while the schema is migrated
TABLES = ("region", "partner", "activity", "history")
_DEADLOCK_STATES = {"40P01", "40001"}  # deadlock detected, serialisation failure


class RegistryBusy(InputError):
    """Another command held the registry's lock for longer than the timeout."""


class SchemaVersionError(InputError):
    """The database's schema is not this release's: newer (unknown) or older."""


def default_url() -> str:
    """``$PARADIPLOMACY_DB``, else a SQLite file in the current folder."""
    return os.environ.get("PARADIPLOMACY_DB", DEFAULT_URL)


def normalise_url(url: str) -> str:
    """Accept plain paths for SQLite, and postgresql:// URLs (driver: psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def lock_timeout() -> float:
    """Seconds a command waits for another's lock: ``$PARADIPLOMACY_DB_TIMEOUT``, else 30."""
    raw = os.environ.get("PARADIPLOMACY_DB_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputError(None, f"PARADIPLOMACY_DB_TIMEOUT must be a number of seconds ≥ 0, "
                               f"not {raw!r}")
    return value


def engine_for(url: str | None = None) -> Engine:
    """An engine for the registry, with the lock timeout and transaction handling above."""
    full = normalise_url(url or default_url())
    backend = make_url(full).get_backend_name()
    timeout = lock_timeout()
    if backend == "sqlite":
        eng = create_engine(full, connect_args={"timeout": timeout})
        _sqlite_events(eng)
    else:
        eng = create_engine(full)
        if backend == "postgresql":
            _postgresql_events(eng, timeout)
    return eng


def _sqlite_events(eng: Engine) -> None:
    @event.listens_for(eng, "connect")
    def _connect(dbapi_conn: Any, _: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite emits no BEGIN of its own: see _begin
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")  # enforce foreign keys in SQLite too
        cur.close()

    @event.listens_for(eng, "begin")
    def _begin(conn: Connection) -> None:
        # A writer takes the write lock at once (waiting up to the timeout for another's);
        # a reader takes none until it reads.
        mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _postgresql_events(eng: Engine, timeout: float) -> None:
    millis = max(1, round(timeout * 1000))

    @event.listens_for(eng, "connect")
    def _connect(dbapi_conn: Any, _: Any) -> None:
        auto = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        cur = dbapi_conn.cursor()
        cur.execute(f"SET lock_timeout = {millis}")
        cur.close()
        dbapi_conn.autocommit = auto


def shown_url(engine: Engine) -> str:
    """The engine's URL as shown to a user (password hidden)."""
    return engine.url.render_as_string(hide_password=True)


def lock_problem(exc: BaseException) -> str | None:
    """What kept a database error's transaction from its locks: ``"timeout"`` (a wait that
    ran out), ``"deadlock"`` (PostgreSQL rolled it back), or None for any other error."""
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if state in _DEADLOCK_STATES:
        return "deadlock"
    msg = str(orig).lower()
    if state == "55P03" or "database is locked" in msg or "database table is locked" in msg:
        return "timeout"
    return None


@contextmanager
def lock_errors_as_user_errors(engine: Engine) -> Iterator[None]:
    """Turn a lock wait that ran out (or a deadlock) into :class:`RegistryBusy`: one line,
    exit code 2; the transaction has been rolled back whole."""
    try:
        yield
    except DBAPIError as exc:
        problem = lock_problem(exc)
        if problem is None:
            raise
        if problem == "deadlock":
            why = "another command was writing the same rows at the same time"
        else:
            why = f"another command held its lock for more than {lock_timeout():g} s"
        raise RegistryBusy(shown_url(engine), f"the registry is busy: {why}, so nothing was "
                           "written; try again when it has finished (or set "
                           "PARADIPLOMACY_DB_TIMEOUT to wait longer)") from None


def insert_ignoring(dialect: str, table: Table, keys: Sequence[str]) -> Insert:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` on SQLite and PostgreSQL (a plain
    ``INSERT`` elsewhere): a row another writer inserted first is left as it is."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=list(keys))
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=list(keys))
    return table.insert()


# -- schema versions -------------------------------------------------------------------------
def _alembic_config() -> Config:
    cfg = Config()
    path = resources.files("paradiplomacy.activity") / "migrations"
    cfg.set_main_option("script_location", str(path))
    return cfg


@lru_cache(maxsize=1)
def known_versions() -> tuple[str, ...]:
    """The schema versions (Alembic revisions) this release knows, oldest first."""
    script = ScriptDirectory.from_config(_alembic_config())
    return tuple(reversed([r.revision for r in script.walk_revisions()]))


def stored_version(conn: Connection) -> str | None:
    """The schema version stamped in the database (None: not stamped)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    found = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return "+".join(found) or None


def _refuse_unknown(engine: Engine, version: str | None) -> None:
    known = known_versions()
    if version is not None and version not in known:
        raise SchemaVersionError(
            shown_url(engine), f"schema version {version} is not one this release of "
            f"paradiplomacy knows ({', '.join(known)}); it was made by a newer release: use "
            "that one (nothing was changed)")


def check_schema(engine: Engine, allow_older: bool = False) -> None:
    """Refuse a database whose schema version this release does not know, and (unless
    ``allow_older``, for init and upgrade) one at an older version. A SQLite file that does
    not exist is not created to find out."""
    path = sqlite_path(engine)
    if path is not None and not Path(path).is_file():
        return
    with lock_errors_as_user_errors(engine), engine.connect() as conn:
        version = stored_version(conn)
        tables = inspect(conn).has_table("activity")
    _refuse_unknown(engine, version)
    if allow_older or (version is None and not tables) or version == known_versions()[-1]:
        return
    raise SchemaVersionError(
        shown_url(engine), f"schema version {version or 'none (not stamped)'} is older than "
        f"this release's {known_versions()[-1]}; run 'paradiplomacy activity upgrade --db "
        f"{shown_url(engine)}' first")


def upgrade_db(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the schema to this release's version (Alembic ``upgrade head``),
    one migration at a time (PostgreSQL: under an advisory lock; SQLite: in one write
    transaction). Returns the versions before and after."""
    cfg = _alembic_config()
    with lock_errors_as_user_errors(engine), \
            engine.execution_options(**{WRITE: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        before = stored_version(conn)
        _refuse_unknown(engine, before)
        insp = inspect(conn)
        if before is None and insp.has_table("activity"):  # made before Alembic stamped it
            missing = [t for t in TABLES if not insp.has_table(t)]
            if missing:
                raise SchemaVersionError(shown_url(engine), "not stamped with a schema version "
                                         f"and missing table(s) {', '.join(missing)}; not a "
                                         "registry this release can upgrade")
            cfg.attributes["connection"] = conn
            command.stamp(cfg, known_versions()[0])
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        return before, stored_version(conn) or known_versions()[-1]


def init_db(engine: Engine) -> None:
    """Create or upgrade the schema (Alembic) and load the 85 regions of the registry."""
    upgrade_db(engine)
    with lock_errors_as_user_errors(engine), \
            engine.execution_options(**{WRITE: True}).begin() as conn:
        have = set(conn.execute(select(Region.code)).scalars())
        rows = [{"code": s.code, "name_en": s.name_en, "name_ru": s.name_ru, "type": s.type}
                for s in subjects() if s.code not in have]
        if rows:  # another init may be adding them at the same time: no clash
            conn.execute(insert_ignoring(conn.dialect.name, Region.__table__, ["code"]), rows)


def sqlite_path(engine: Engine) -> str | None:
    """The file of a SQLite registry (None for other databases or in-memory SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    db = engine.url.database
    return None if not db or db == ":memory:" else db


def is_initialised(engine: Engine) -> bool:
    """Whether the registry's tables exist; a SQLite file that does not exist is not created
    to find out."""
    path = sqlite_path(engine)
    if path is not None and not Path(path).is_file():
        return False
    with lock_errors_as_user_errors(engine):
        return inspect(engine).has_table("activity")


@contextmanager
def session(engine: Engine, write: bool = True) -> Iterator[Session]:
    """A session whose work is committed at the end, or rolled back entirely on error. A
    write session takes the write lock when it begins (SQLite), waiting for another writer's
    up to the lock timeout; ``write=False`` for sessions that only read."""
    bind = engine.execution_options(**{WRITE: True}) if write else engine
    maker = sessionmaker(bind, expire_on_commit=False)
    with lock_errors_as_user_errors(engine), maker() as s, s.begin():
        yield s
