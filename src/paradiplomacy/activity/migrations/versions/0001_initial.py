"""The registry's first schema: region, partner, activity, history.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.Column("name_ru", sa.String(120), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
    )
    op.create_table(
        "partner",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("region", sa.String(120), nullable=False),
        sa.Column("wikidata", sa.String(16), nullable=False),
        sa.UniqueConstraint("name", "kind", "country", name="uq_partner"),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("natural_key", sa.String(500), nullable=False),
        sa.Column("region_code", sa.String(8), sa.ForeignKey("region.code"), nullable=True),
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("partner_id", sa.Integer, sa.ForeignKey("partner.id"), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("date_signed", sa.String(10), nullable=False),
        sa.Column("date_in_force", sa.String(10), nullable=False),
        sa.Column("date_ended", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("initiated_by", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(24), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("form", sa.String(16), nullable=True),
        sa.Column("form_rule", sa.Text, nullable=False),
        sa.Column("directness", sa.String(20), nullable=True),
        sa.Column("directness_rule", sa.Text, nullable=False),
        sa.Column("model", sa.String(16), nullable=True),
        sa.Column("model_rule", sa.Text, nullable=False),
        sa.Column("override_form", sa.String(16), nullable=True),
        sa.Column("override_directness", sa.String(20), nullable=True),
        sa.Column("override_model", sa.String(16), nullable=True),
        sa.Column("override_note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("natural_key", name="uq_activity_natural_key"),
    )
    op.create_index("ix_activity_region_year", "activity", ["region_code", "year"])
    op.create_index("ix_activity_kind", "activity", ["kind"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("activity_id", sa.Integer, nullable=False, index=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(120), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old_value", sa.Text, nullable=False),
        sa.Column("new_value", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("history")
    op.drop_index("ix_activity_kind", "activity")
    op.drop_index("ix_activity_region_year", "activity")
    op.drop_table("activity")
    op.drop_table("partner")
    op.drop_table("region")
