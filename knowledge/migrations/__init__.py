"""Alembic migrations of the knowledge base (run through :func:`knowledge.db.upgrade`)."""
