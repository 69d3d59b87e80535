"""The Neo4j store's plumbing: the one function that sends a query, driver errors as one
line, and the change-log write shared by reads' and writes' modules.

Every query goes through `run` (tests wrap it to count or fail queries on a real server)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.neo4j.cypher import QUERIES
from graph.store import Change, ChangeNote


def _driver_errors() -> tuple[type[BaseException], ...]:
    try:
        from neo4j.exceptions import DriverError, Neo4jError
    except ImportError:  # pragma: no cover - the driver is a dependency
        return ()
    return (Neo4jError, DriverError)


#: The driver's error classes (turned into one StoreError line at the store's edge).
DRIVER_ERRORS = _driver_errors()


def describe(exc: BaseException) -> str:
    """A driver error as one line a person can act on (the driver's texts span lines)."""
    name = type(exc).__name__
    if name in ("AuthError", "Unauthorized", "TokenExpired"):
        return "authentication failed: check NEO4J_USER and NEO4J_PASSWORD"
    text = " ".join(str(exc).split())
    if name in ("ServiceUnavailable", "SessionExpired") or "Connection refused" in text:
        reason = text.rsplit("(reason ", 1)[-1].rstrip(")") if "(reason " in text else text
        return f"the server does not answer ({reason})"
    return text[:300] or name


def run(tx: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the named constant query with its parameters; the only place a query is sent."""
    result = tx.run(QUERIES[name], params)
    keys = result.keys()
    # Rows as {column: value} of the values as decoded. Not `Result.data()`: it walks every
    # nested value to turn nodes into maps, and no query returns a node (maps, lists and
    # scalars only): that walk was 30 of the 58 ms of client CPU of a 3,500-unit subtree.
    return [dict(zip(keys, values)) for values in result.values()]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def add_change(tx: Any, note: ChangeNote, previous: str, revision: str) -> Change:
    when = now()
    seq = run(tx, "change_add", {"when": when, "action": note.action, "what": note.what,
                                  "who": note.who, "previous": previous,
                                  "revision": revision})[0]["seq"]
    return Change(seq, when, note.action, note.what, note.who, previous, revision)
