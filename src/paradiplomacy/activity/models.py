"""The registry's data model (SQLAlchemy 2): regions, foreign partners, activities, history.

Dates are ISO strings of the precision the source gives ("2014", "2013-04", "2013-04-22"), so
that a year-only statement is not turned into a false 1 January; ``year`` is derived from the
first date given. Every activity cites its source. The classification is stored with the
rule that produced it; a coder's override is kept beside it, never over it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ACTIVITY_KINDS = (
    "agreement",            # agreement, memorandum, protocol signed by the region
    "representative_office",  # the region's office abroad
    "consulate_hosted",     # a foreign consulate or mission in the region
    "twin_city",            # twinning of a city of the region
    "visit",                # official visit abroad, or a foreign delegation received
    "federal_delegation",   # participation in a delegation of the federal government
    "forum",                # forum, exhibition, conference, presentation
    "association",          # membership in an association or network (e.g. a Euroregion)
    "programme",            # cross-border or interregional cooperation programme
    "interregional_link",   # standing relations with a foreign region, as a source reports
)
PARTNER_KINDS = ("state", "foreign_region", "municipality", "international_organisation",
                 "company", "ngo", "other")
STATUSES = ("signed", "in_force", "registered_mfa", "revoked_by_centre", "ended", "blocked",
            "held", "active", "reported")
INITIATORS = ("region", "federal_centre", "partner")
ACTORS = ("regional_government", "federal_centre", "municipality", "company", "ngo",
          "university", "association")
FORMS = ("cross_border", "trans_regional", "global")
DIRECTNESS = ("direct", "indirect_active", "indirect_passive")
MODELS = ("administrative", "network", "corporate")


class Base(DeclarativeBase):
    """The declarative base of the registry's tables."""
    pass


class Region(Base):
    """A Russian federal subject (from the project's registry)."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(24))


class Partner(Base):
    """A foreign partner: a state, a foreign region or municipality, an organisation."""

    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("name", "kind", "country", name="uq_partner"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    region: Mapped[str] = mapped_column(String(120), default="")  # first-level region
    wikidata: Mapped[str] = mapped_column(String(16), default="")


class Activity(Base):
    """One activity of a region abroad, as a source reports it."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("natural_key", name="uq_activity_natural_key"),
                      Index("ix_activity_region_year", "region_code", "year"),
                      Index("ix_activity_kind", "kind"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(500))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), nullable=True)
    scope: Mapped[str] = mapped_column(String(200), default="")  # when no single region
    kind: Mapped[str] = mapped_column(String(32))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    date_signed: Mapped[str] = mapped_column(String(10), default="")
    date_in_force: Mapped[str] = mapped_column(String(10), default="")
    date_ended: Mapped[str] = mapped_column(String(10), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(24), default="reported")
    initiated_by: Mapped[str] = mapped_column(String(24), default="region")
    actor: Mapped[str] = mapped_column(String(24), default="regional_government")
    level: Mapped[str] = mapped_column(String(16), default="regional")  # or municipal
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text)
    form: Mapped[str | None] = mapped_column(String(16), nullable=True)
    form_rule: Mapped[str] = mapped_column(Text, default="")
    directness: Mapped[str | None] = mapped_column(String(20), nullable=True)
    directness_rule: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str | None] = mapped_column(String(16), nullable=True)
    model_rule: Mapped[str] = mapped_column(Text, default="")
    override_form: Mapped[str | None] = mapped_column(String(16), nullable=True)
    override_directness: Mapped[str | None] = mapped_column(String(20), nullable=True)
    override_model: Mapped[str | None] = mapped_column(String(16), nullable=True)
    override_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    partner: Mapped[Partner | None] = relationship(lazy="joined")
    region: Mapped[Region | None] = relationship(lazy="joined")

    def effective(self, what: str) -> str | None:
        """The coder's value where one was given, else the computed one."""
        return getattr(self, f"override_{what}") or getattr(self, what)


class History(Base):
    """Who changed what, when: one row per changed field (or per insert/delete)."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(Integer, index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(12))  # insert | update | delete
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
