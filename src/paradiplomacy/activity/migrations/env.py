"""Alembic environment: migrations run from the package, on the connection given by
:func:`paradiplomacy.activity.db.init_db` (or the URL in the Alembic config)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from paradiplomacy.activity.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run the migrations on the connection Alembic was given (or the configured URL)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
