"""The activity registry under faults: concurrent writers and unknown schema versions, on
SQLite and on PostgreSQL (``PARADIPLOMACY_TEST_PG``; skipped without it, as in
``test_activity.py``). Concurrent imports run as real processes of the command line."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from paradiplomacy.activity.db import engine_for, init_db, known_versions, session
from paradiplomacy.activity.store import Store, read_records

PG = os.environ.get("PARADIPLOMACY_TEST_PG")
HEAD = "region,kind,partner,partner_kind,partner_country,partner_region,date_signed,title,source\n"
SHARED_PARTNERS = 300  # partners named in both files (a get-or-create race for each)
COMMON = 200  # activities in both files (the second writer must skip them)


def write_file(path: Path, name: str, n: int, reverse: bool = False) -> Path:
    """``n`` activities of this file alone (partners shared with the other file) and the
    ``COMMON`` activities of both files (in reverse order if ``reverse``)."""
    rows = [f"Amur Oblast,visit,Shared {i % SHARED_PARTNERS},municipality,CN,CN-HL,2015,"
            f"{name} visit {i},generated for a test ({name})" for i in range(n)]
    common = [f"Primorsky Krai,forum,Common {i},municipality,JP,,2016,common forum {i},"
              "generated for a test (both)" for i in range(COMMON)]
    rows += common[::-1] if reverse else common
    rows += [f"Khabarovsk Krai,agreement,Own {name} {i},foreign_region,KR,,2017,"
             f"{name} agreement {i},generated for a test ({name})" for i in range(50)]
    path.write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def cli_process(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "paradiplomacy.cli.main", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PARADIPLOMACY_PROGRESS": "1", **env})


class Lock:
    """Another writer holding the registry: SQLite's write lock (``BEGIN IMMEDIATE``), or on
    PostgreSQL an uncommitted row of a partner both files name."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self) -> Lock:
        if self.url.startswith("sqlite"):
            self.conn = sqlite3.connect(self.url.removeprefix("sqlite:///"),
                                        isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.eng = engine_for(self.url)
            self.conn = self.eng.connect()
            self.conn.execute(text("INSERT INTO partner (name, kind, country, region, "
                                   "wikidata) VALUES ('Shared 7', 'municipality', 'CN', '', "
                                   "'')"))
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.rollback()
        self.conn.close()
        if not self.url.startswith("sqlite"):
            self.eng.dispose()


def await_writing(proc: subprocess.Popen) -> None:
    """Wait until the import has read its file and goes on to write."""
    line = proc.stderr.readline()
    assert "writing" in line, line + proc.stderr.read()


def fingerprint(url: str) -> tuple:
    """What a command must not change: the file's bytes and mtime (SQLite), else every
    table's rows."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return hashlib.sha1(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    eng = engine_for(url)
    with eng.connect() as c:
        tables = sorted(inspect(c).get_table_names())
        out = tuple((t, tuple(c.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all()))
                    for t in tables)
    eng.dispose()
    return out


def check_integrity(url: str, files: list[Path]) -> dict[str, int]:
    """Every record of the files once, every partner once, one history row per activity."""
    records = [r for f in files for r in read_records(f)]
    keys = {r.natural_key for r in records}
    partners = {(r.values["partner"], r.values["partner_kind"], r.values["partner_country"])
                for r in records}
    eng = engine_for(url)
    with eng.connect() as c:
        if url.startswith("sqlite"):
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        got = c.execute(text("SELECT natural_key FROM activity")).scalars().all()
        assert len(got) == len(set(got)) == len(keys) and set(got) == keys
        stored = c.execute(text("SELECT name, kind, country FROM partner")).all()
        assert len(stored) == len(set(stored)) and set(stored) == partners
        orphans = c.execute(text("SELECT count(*) FROM activity a LEFT JOIN partner p ON "
                                 "p.id = a.partner_id WHERE p.id IS NULL")).scalar()
        assert orphans == 0
        hist = c.execute(text("SELECT activity_id FROM history WHERE action = 'insert'")) \
            .scalars().all()
        ids = c.execute(text("SELECT id FROM activity")).scalars().all()
        assert sorted(hist) == sorted(ids)  # nothing lost, nothing leaked
    eng.dispose()
    return {"activities": len(got), "partners": len(stored)}


def summary(out: str) -> tuple[int, int]:
    """(imported, skipped) from an import's report line."""
    words = out.replace(",", "").replace(";", "").split()
    return int(words[words.index("imported") + 1]), int(words[words.index("skipped") + 1])


def test_two_imports_at_once_store_every_record_once(url, tmp_path):
    eng = engine_for(url)
    init_db(eng)
    eng.dispose()
    a = write_file(tmp_path / "a.csv", "a", 3000)
    b = write_file(tmp_path / "b.csv", "b", 3000)
    with Lock(url):  # both imports start, read their files and meet at the lock
        procs = [cli_process("activity", "import", str(f), "--db", url) for f in (a, b)]
        for p in procs:
            await_writing(p)
        time.sleep(1.0)
        assert all(p.poll() is None for p in procs), "an import did not wait for the lock"
        released = time.monotonic()
    outs = [p.communicate(timeout=120) for p in procs]
    waited = time.monotonic() - released
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "error" not in err and "Traceback" not in err, err
    done = [summary(out) for out, _ in outs]
    assert sum(i for i, _ in done) == 2 * 3050 + COMMON
    assert sorted(s for _, s in done) == [0, COMMON]  # the second skipped the common ones
    counts = check_integrity(url, [a, b])
    assert counts == {"activities": 2 * 3050 + COMMON, "partners": SHARED_PARTNERS + COMMON
                      + 100}
    assert waited < 60


def test_the_same_records_in_opposite_orders(url, tmp_path):
    """Two files adding the same activities in opposite orders, their partners already in
    the registry (so the writers do not queue on a new partner): on PostgreSQL both insert at
    once, and must meet the shared activities in one order rather than deadlock."""
    eng = engine_for(url)
    init_db(eng)
    a = write_file(tmp_path / "a.csv", "a", 500)
    b = write_file(tmp_path / "b.csv", "b", 500, reverse=True)
    with session(eng) as s:
        Store(s, "test").ensure_partners(r.values for f in (a, b) for r in read_records(f))
    eng.dispose()
    procs = [cli_process("activity", "import", str(f), "--db", url) for f in (a, b)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    assert sorted(summary(out)[1] for out, _ in outs) == [0, COMMON]
    check_integrity(url, [a, b])


def test_import_waits_for_a_writer_then_writes(url, tmp_path):
    eng = engine_for(url)
    init_db(eng)
    eng.dispose()
    a = write_file(tmp_path / "a.csv", "a", 100)
    with Lock(url):
        proc = cli_process("activity", "import", str(a), "--db", url)
        await_writing(proc)
        start = time.monotonic()
        time.sleep(2.0)
        assert proc.poll() is None, "the import did not wait for the other writer"
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert time.monotonic() - start >= 2.0
    assert summary(out) == (150 + COMMON, 0)
    check_integrity(url, [a])
    eng = engine_for(url)
    with eng.connect() as c:  # ids follow the file's order, on both back-ends
        keys = c.execute(text("SELECT natural_key FROM activity ORDER BY id")).scalars().all()
    eng.dispose()
    assert keys == [r.natural_key for r in read_records(a)]


def test_lock_timeout_is_one_error_line_and_writes_nothing(url, tmp_path):
    eng = engine_for(url)
    init_db(eng)
    eng.dispose()
    a = write_file(tmp_path / "a.csv", "a", 100)
    before = fingerprint(url)
    with Lock(url):
        start = time.monotonic()
        proc = cli_process("activity", "import", str(a), "--db", url,
                           PARADIPLOMACY_DB_TIMEOUT="1")
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - start
    lines = [ln for ln in err.splitlines() if "writing" not in ln]
    assert proc.returncode == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "the registry is busy" in lines[0] and "nothing was written" in lines[0]
    assert out == "" and 1.0 <= took < 30
    assert fingerprint(url) == before


# -- schema versions -------------------------------------------------------------------------
COMMANDS = [
    ("init",), ("upgrade",), ("list",), ("export", "--format", "json"), ("stats",),
    ("history", "1"), ("classify",), ("correct", "1", "--set", "title=x", "--reason", "r"),
    ("add", "--kind", "agreement", "--source", "s", "--region", "Primorsky Krai"),
    ("import", "{csv}"), ("import-twins",), ("map", "-o", "{png}"),
]


def stamp(url: str, version: str | None) -> None:
    """Stamp the database with a schema version (None: as made before Alembic stamped it)."""
    eng = engine_for(url)
    with eng.begin() as c:
        if version is None:
            c.execute(text("DROP TABLE alembic_version"))
        else:
            c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
    eng.dispose()
    time.sleep(0.01)  # a later write would change the mtime


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_unknown_schema_version_is_refused(registry, args, cli, tmp_path):
    stamp(registry, "9999_future")
    csv = write_file(tmp_path / "a.csv", "a", 5)
    args = [a.format(csv=csv, png=tmp_path / "m.png") for a in args]
    before = fingerprint(registry)
    res = cli("activity", *args, "--db", registry)
    assert res.exit_code == 2, res.stdout + res.stderr
    assert res.stdout == "" and len(res.stderr.splitlines()) == 1, res.stderr
    msg = res.stderr
    assert msg.startswith("error: ") and "schema version 9999_future" in msg
    assert f"knows ({', '.join(known_versions())})" in msg
    assert fingerprint(registry) == before
    assert not (tmp_path / "m.png").exists()


def test_unknown_schema_version_through_the_entry_point(registry):
    stamp(registry, "9999_future")
    before = fingerprint(registry)
    res = subprocess.run([sys.executable, "-m", "paradiplomacy.cli.main", "activity", "list",
                          "--db", registry], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and "9999_future" in res.stderr, res.stderr
    assert fingerprint(registry) == before


def test_older_schema_is_refused_until_upgraded(registry, cli):
    stamp(registry, None)  # the registry's tables, no version: an older, known layout
    before = fingerprint(registry)
    for args in (("list",), ("stats",), ("add", "--kind", "agreement", "--source", "s",
                                         "--region", "Primorsky Krai")):
        res = cli("activity", *args, "--db", registry)
        assert res.exit_code == 2 and len(res.stderr.splitlines()) == 1, res.stderr
        assert "schema version none (not stamped) is older than this release's" in res.stderr
        assert "run 'paradiplomacy activity upgrade --db " in res.stderr
    assert fingerprint(registry) == before
    res = cli("activity", "upgrade", "--db", registry)
    assert res.exit_code == 0, res.stderr
    assert f"upgraded from version none (not stamped) to {known_versions()[-1]}" in res.stdout
    res = cli("activity", "upgrade", "--db", registry)
    assert res.exit_code == 0 and "already at version" in res.stdout
    res = cli("activity", "list", "--db", registry, "--json")
    assert res.exit_code == 0 and res.stdout.count('"id"') == 96


def test_init_upgrades_an_older_schema(registry, cli):
    stamp(registry, None)
    res = cli("activity", "init", "--db", registry)
    assert res.exit_code == 0, res.stderr
    assert cli("activity", "list", "--db", registry).exit_code == 0


def test_upgrade_never_creates_a_database(cli, tmp_path):
    path = tmp_path / "none.sqlite"
    res = cli("activity", "upgrade", "--db", str(path))
    assert res.exit_code == 2 and "no registry here" in res.stderr
    assert not path.exists()


def test_bad_lock_timeout_setting(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIPLOMACY_DB_TIMEOUT", "soon")
    res = cli("activity", "list", "--db", str(tmp_path / "r.sqlite"))
    assert res.exit_code == 2 and "PARADIPLOMACY_DB_TIMEOUT" in res.stderr
    assert not (tmp_path / "r.sqlite").exists()
