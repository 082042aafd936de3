"""Reading and writing the registry: add, import (all or nothing), list, correct, classify.

Every write happens in one transaction: a file with a bad row, a duplicate within the file, or
an interruption leaves the database as it was. Every insert and correction is written to the
history table with who made it, when and why. Writers may run at once: partners are got or
created race-free (sorted ``INSERT … ON CONFLICT DO NOTHING``, then read back), and an
activity another writer has just added is skipped as a duplicate, never a clash.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, text
from sqlalchemy.orm import Session

from paradiplomacy.activity import classify
from paradiplomacy.activity.db import insert_ignoring
from paradiplomacy.activity.models import Activity, History, Partner
from paradiplomacy.activity.records import FIELDS, Record, RowError, validate
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tabular import decode


class ImportRejected(InputError):
    """The file was rejected whole; ``errors`` lists every problem by row and column."""

    def __init__(self, path: str, errors: list[RowError]):
        self.path, self.errors = path, errors
        shown = "\n".join(f"  {path}, {e}" for e in errors[:50])
        more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(path, f"{len(errors)} problem(s); nothing was imported\n{shown}{more}")


def now() -> dt.datetime:
    """The current time in UTC (the registry's timestamps)."""
    return dt.datetime.now(dt.UTC)


def computed_classes(v: dict[str, Any]) -> dict[str, Any]:
    """The three classifications of a record, with the rules that gave them."""
    f, fr = classify.form(v.get("region"), v.get("partner_kind") if v.get("partner") else None,
                          v.get("partner_country", ""), v.get("partner_region", ""),
                          v.get("year"))
    d, dr = classify.directness(v["kind"], v["initiated_by"], v["actor"])
    m, mr = classify.model(v["actor"])
    return {"form": f, "form_rule": fr, "directness": d, "directness_rule": dr, "model": m,
            "model_rule": mr}


def read_records(path: str | Path) -> list[Record]:
    """Records from a CSV or JSON file (a list of objects), validated; rows as in the file."""
    from paradiplomacy.io.limits import check_size

    path = str(path)
    check_size(path)
    data = Path(path).read_bytes()
    text, _ = decode(data, path)
    if path.lower().endswith(".json"):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportRejected(path, [RowError(exc.lineno, None, f"invalid JSON: {exc.msg}")]
                                 ) from None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ImportRejected(path, [RowError(None, None, "expected a JSON list of objects")])
        return [validate(item, row=i + 1) for i, item in enumerate(items)]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ImportRejected(path, [RowError(1, None, "empty file")])
    out = []
    for item in reader:
        if None in item:
            out.append(Record({}, reader.line_num, [RowError(reader.line_num, None,
                                                             "more cells than the header")]))
            continue
        out.append(validate(item, row=reader.line_num))
    return out


class Store:
    """The registry in one session (one transaction)."""

    def __init__(self, session: Session, user: str = "unknown"):
        self.s = session
        self.user = user
        self._partners: dict[tuple[str, str, str], int] = {}

    # -- partners ------------------------------------------------------------------------
    @staticmethod
    def _partner_key(v: dict[str, Any]) -> tuple[str, str, str] | None:
        if not v.get("partner"):
            return None
        return (v["partner"], v["partner_kind"], v.get("partner_country", ""))

    def _load_partners(self) -> None:
        rows = self.s.execute(select(Partner.id, Partner.name, Partner.kind, Partner.country))
        self._partners = {(name, kind, country): pid for pid, name, kind, country in rows}

    def ensure_partners(self, values: Iterable[dict[str, Any]]) -> None:
        """Get or create the partners of these records, race-free: the missing ones are
        inserted in one sorted ``INSERT … ON CONFLICT DO NOTHING`` (a partner another writer
        adds meanwhile is waited for and then used, never duplicated), then read back."""
        wanted: dict[tuple[str, str, str], dict[str, Any]] = {}
        for v in values:
            key = self._partner_key(v)
            if key is not None and key not in wanted:
                wanted[key] = v
        if not self._partners or any(k not in self._partners for k in wanted):
            self._load_partners()
        missing = sorted(k for k in wanted if k not in self._partners)
        if not missing:
            return
        rows = [{"name": k[0], "kind": k[1], "country": k[2],
                 "region": wanted[k].get("partner_region", ""),
                 "wikidata": wanted[k].get("partner_wikidata", "")} for k in missing]
        conn = self.s.connection()
        stmt = insert_ignoring(conn.dialect.name, Partner.__table__, ["name", "kind", "country"])
        for start in range(0, len(rows), 5000):
            conn.execute(stmt, rows[start:start + 5000])
        self._load_partners()

    def partner_id(self, v: dict[str, Any]) -> int | None:
        """The id of a record's partner (created if new), or None without a partner."""
        key = self._partner_key(v)
        if key is None:
            return None
        if key not in self._partners:
            self.ensure_partners([v])
        return self._partners[key]

    # -- insert ----------------------------------------------------------------------------
    def add(self, records: Iterable[Record], on_duplicate: str = "skip", path: str = "<input>",
            progress=None) -> dict[str, Any]:
        """Insert validated records in this transaction. Problems anywhere reject all."""
        records = list(records)
        errors = [e for r in records for e in r.errors]
        seen: dict[str, int | None] = {}
        for r in records:
            if r.errors:
                continue
            k = r.natural_key
            if k in seen:
                errors.append(RowError(r.row, None, f"duplicate of row {seen[k]} in this file"))
            seen[k] = r.row
        if errors:
            raise ImportRejected(path, errors)
        existing = set(self.s.execute(select(Activity.natural_key)).scalars())
        dups = [r for r in records if r.natural_key in existing]
        if dups and on_duplicate == "error":
            raise ImportRejected(path, [RowError(r.row, None, "already in the database")
                                        for r in dups])
        fresh = [r for r in records if r.natural_key not in existing]
        self.ensure_partners(r.values for r in fresh)
        stamp = now()
        rows = []
        for r in fresh:
            v = r.values
            rows.append({
                "natural_key": r.natural_key, "region_code": v.get("region"),
                "scope": v.get("scope", ""), "kind": v["kind"], "partner_id": self.partner_id(v),
                "title": v.get("title", ""), "date_signed": v.get("date_signed", ""),
                "date_in_force": v.get("date_in_force", ""), "date_ended": v.get("date_ended", ""),
                "year": v.get("year"), "status": v["status"], "initiated_by": v["initiated_by"],
                "actor": v["actor"], "level": v["level"], "quantity": v.get("quantity", 1),
                "summary": v.get("summary", ""), "source": v["source"],
                "override_note": "", "created_at": stamp, "updated_at": stamp,
                **computed_classes(v),
            })
            if progress is not None:
                progress(1)
        # Core inserts, no RETURNING (fast on both back-ends); an activity another writer has
        # added since ``existing`` was read is skipped (ON CONFLICT DO NOTHING). The history
        # rows are made from the new activities in one INSERT … SELECT.
        conn = self.s.connection()
        before = conn.execute(select(func.coalesce(func.max(Activity.id), 0))).scalar()
        if conn.dialect.name == "postgresql":
            _sorted_with_file_ids(conn, rows)
        stmt = insert_ignoring(conn.dialect.name, Activity.__table__, ["natural_key"])
        for start in range(0, len(rows), 5000):
            conn.execute(stmt, rows[start:start + 5000])
        new_ids = (select(Activity.id, literal(stamp), literal(self.user), literal("insert"),
                          literal(""), literal(""), literal(""), literal(f"added from {path}"))
                   .where(Activity.id > before, Activity.created_at == stamp))
        conn.execute(insert(History).from_select(
            ["activity_id", "changed_at", "changed_by", "action", "field", "old_value",
             "new_value", "reason"], new_ids))
        ids = list(conn.execute(select(Activity.id).where(
            Activity.id > before, Activity.created_at == stamp).order_by(Activity.id)).scalars())
        if len(ids) < len(fresh):  # another writer added some of them meanwhile
            mine = set(conn.execute(select(Activity.natural_key).where(
                Activity.id > before, Activity.created_at == stamp)).scalars())
            raced = [r for r in fresh if r.natural_key not in mine]
            if on_duplicate == "error":
                raise ImportRejected(path, [RowError(r.row, None, "already in the database "
                                                     "(added by another command meanwhile)")
                                            for r in raced])
            dups = sorted(dups + raced, key=_row_order)
        return {"imported": len(ids), "duplicates": [r.row for r in dups], "ids": ids}

    # -- corrections -------------------------------------------------------------------------
    def correct(self, activity_id: int, changes: dict[str, str], reason: str) -> Activity:
        """Change fields of an activity, keeping every old value in the history."""
        a = self.s.get(Activity, activity_id)
        if a is None:
            raise KeyError(f"no activity {activity_id}")
        current = export_row(a)
        merged = {**{k: current.get(k, "") for k in FIELDS}, **changes}
        rec = validate(merged)
        if rec.errors:
            raise ValueError("; ".join(str(e) for e in rec.errors))
        v = rec.values
        new = {"region_code": v.get("region"), "scope": v.get("scope", ""), "kind": v["kind"],
               "partner_id": self.partner_id(v), "title": v.get("title", ""),
               "date_signed": v["date_signed"], "date_in_force": v["date_in_force"],
               "date_ended": v["date_ended"], "year": v.get("year"), "status": v["status"],
               "initiated_by": v["initiated_by"], "actor": v["actor"], "level": v["level"],
               "quantity": v.get("quantity", 1), "summary": v.get("summary", ""),
               "source": v["source"], "natural_key": rec.natural_key, **computed_classes(v)}
        stamp = now()
        for k, val in new.items():
            old = getattr(a, k)
            if old != val:
                self.s.add(History(activity_id=a.id, changed_at=stamp, changed_by=self.user,
                                   action="update", field=k, old_value=str(old or ""),
                                   new_value=str(val or ""), reason=reason))
                setattr(a, k, val)
        a.updated_at = stamp
        return a

    def override(self, activity_id: int, what: str, value: str | None, reason: str) -> Activity:
        """A coder's classification, stored beside the computed one (None clears it)."""
        allowed = {"form": classify_values("form"), "directness": classify_values("directness"),
                   "model": classify_values("model")}
        if what not in allowed:
            raise ValueError(f"override what: form, directness or model, not {what!r}")
        if value is not None and value not in allowed[what]:
            raise ValueError(f"--{what} must be one of {', '.join(allowed[what])}")
        a = self.s.get(Activity, activity_id)
        if a is None:
            raise KeyError(f"no activity {activity_id}")
        col = f"override_{what}"
        self.s.add(History(activity_id=a.id, changed_at=now(), changed_by=self.user,
                           action="update", field=col, old_value=getattr(a, col) or "",
                           new_value=value or "", reason=reason))
        setattr(a, col, value)
        a.override_note = reason
        a.updated_at = now()
        return a

    def reclassify(self) -> int:
        """Recompute the computed classifications of every activity (overrides stay)."""
        n = 0
        for a in self.s.execute(select(Activity)).unique().scalars():
            v = export_row(a)
            rec = validate({k: v.get(k, "") for k in FIELDS})
            for k, val in computed_classes(rec.values).items():
                if getattr(a, k) != val:
                    setattr(a, k, val)
                    n += 1
        return n


def _sorted_with_file_ids(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: give the rows ids drawn in the file's order, then sort them by natural key,
    so that concurrent writers adding the same activities meet them in one order and wait
    for each other instead of deadlocking (SQLite has one writer at a time)."""
    if not rows:
        return
    seq = conn.execute(text("SELECT pg_get_serial_sequence('activity', 'id')")).scalar_one()
    drawn = conn.execute(text("SELECT nextval(:seq) FROM generate_series(1, :n)"),
                         {"seq": seq, "n": len(rows)}).scalars().all()
    for row, new_id in zip(rows, sorted(drawn), strict=True):
        row["id"] = new_id
    rows.sort(key=lambda row: row["natural_key"])


def _row_order(r: Record) -> int:
    return r.row if r.row is not None else 0


def classify_values(what: str) -> tuple[str, ...]:
    """The allowed values of a classification (form, directness or model)."""
    from paradiplomacy.activity.models import DIRECTNESS, FORMS, MODELS

    return {"form": FORMS, "directness": DIRECTNESS, "model": MODELS}[what]


def export_row(a: Activity) -> dict[str, Any]:
    """An activity as a flat record (the import format, plus id and classifications)."""
    p = a.partner
    return {
        "id": a.id, "region": a.region_code or "", "scope": a.scope, "kind": a.kind,
        "partner": p.name if p else "", "partner_kind": p.kind if p else "",
        "partner_country": p.country if p else "", "partner_region": p.region if p else "",
        "partner_wikidata": p.wikidata if p else "", "title": a.title,
        "date_signed": a.date_signed, "date_in_force": a.date_in_force,
        "date_ended": a.date_ended, "year": a.year, "status": a.status,
        "initiated_by": a.initiated_by, "actor": a.actor, "level": a.level,
        "quantity": a.quantity, "summary": a.summary, "source": a.source,
        "form": a.effective("form"), "form_rule": a.form_rule if not a.override_form else
        f"coder: {a.override_note}", "directness": a.effective("directness"),
        "model": a.effective("model"),
    }
