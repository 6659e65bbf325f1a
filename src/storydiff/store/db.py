"""Opening the SQLite store: WAL mode, foreign keys, migrations."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from storydiff.errors import StoreError
from storydiff.store.schema import BACKFILLS, MIGRATIONS

DEFAULT_DB = "storydiff.db"


def connect(path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating and migrating if needed) the store at ``path``.

    Autocommit mode (``isolation_level=None``): writers group their statements with
    ``with transaction(conn):`` so that a process killed at any moment leaves whole records only.
    """
    path = Path(path)
    if readonly:
        if not path.exists():
            raise StoreError(f"{path}: no such store (run 'storydiff ingest' first)")
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        if path.parent and not path.parent.exists():
            raise StoreError(f"{path}: folder {path.parent} does not exist")
        conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, readonly=readonly)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not a storydiff store ({exc})") from exc
    return conn


def migrate(conn: sqlite3.Connection, *, readonly: bool = False) -> int:
    """Apply missing migrations; return the schema version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"store schema version {version} is newer than this storydiff ({len(MIGRATIONS)})")
    if readonly:
        if version < len(MIGRATIONS):
            raise StoreError(f"store schema version {version} needs migrating; open it read-write once")
        return version
    for number in range(version, len(MIGRATIONS)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split_sql(MIGRATIONS[number]):
                conn.execute(statement)
            if number + 1 in BACKFILLS:
                _backfill(BACKFILLS[number + 1])(conn)
            conn.execute(f"PRAGMA user_version={number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)


def _backfill(target: str) -> Callable[[sqlite3.Connection], None]:
    """The function a "module:function" name points to (imported only when a store needs it)."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class transaction:
    """``with transaction(conn): ...`` — BEGIN IMMEDIATE / COMMIT, ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements: drop ``--`` comments, then split on semicolons.

    (Our migrations keep ``--`` and ``;`` out of string literals.)
    """
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    return [statement.strip() for statement in code.split(";") if statement.strip()]
