"""Alembic migrations of the registry's schema (upgrade with `paradiplomacy activity upgrade`)."""

