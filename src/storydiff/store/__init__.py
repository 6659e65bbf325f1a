"""The SQLite store: articles, copies, stories and cached reports."""

from storydiff.store.db import DEFAULT_DB, StoreError, connect, transaction

__all__ = ["DEFAULT_DB", "StoreError", "connect", "transaction"]
