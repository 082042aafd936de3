"""Opening the registry's database: a SQLite file by default, PostgreSQL by URL.

The schema is created and upgraded by Alembic migrations shipped in the package
(``activity/migrations``), so a database made by an older release can be brought up to date
with ``paradiplomacy activity init --db URL``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from paradiplomacy.activity.models import Region
from paradiplomacy.regions import subjects

DEFAULT_URL = "sqlite:///paradiplomacy-activity.sqlite"


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


def engine_for(url: str | None = None) -> Engine:
    eng = create_engine(normalise_url(url or default_url()), future=True)
    if eng.dialect.name == "sqlite":
        @event.listens_for(eng, "connect")
        def _fk(dbapi_conn, _):  # enforce foreign keys in SQLite too
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    return eng


def _alembic_config() -> Config:
    cfg = Config()
    path = resources.files("paradiplomacy.activity") / "migrations"
    cfg.set_main_option("script_location", str(path))
    return cfg


def init_db(engine: Engine) -> None:
    """Create or upgrade the schema (Alembic) and load the 85 regions of the registry."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with Session(engine) as s, s.begin():
        have = {r.code for r in s.query(Region)}
        for sub in subjects():
            if sub.code not in have:
                s.add(Region(code=sub.code, name_en=sub.name_en, name_ru=sub.name_ru,
                             type=sub.type))


def sqlite_path(engine: Engine) -> str | None:
    """The file of a SQLite registry (None for other databases or in-memory SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    db = engine.url.database
    return None if not db or db == ":memory:" else db


def is_initialised(engine: Engine) -> bool:
    """Whether the registry's tables exist; a SQLite file that does not exist is not created
    to find out."""
    from pathlib import Path

    path = sqlite_path(engine)
    if path is not None and not Path(path).is_file():
        return False
    return inspect(engine).has_table("activity")


@contextmanager
def session(engine: Engine):
    """A session whose work is committed at the end, or rolled back entirely on error."""
    maker = sessionmaker(engine, expire_on_commit=False)
    with maker() as s, s.begin():
        yield s
