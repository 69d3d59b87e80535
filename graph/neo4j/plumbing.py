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
    return tx.run(QUERIES[name], params).data()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def add_change(tx: Any, note: ChangeNote, previous: str, revision: str) -> Change:
    when = now()
    seq = run(tx, "change_add", {"when": when, "action": note.action, "what": note.what,
                                  "who": note.who, "previous": previous,
                                  "revision": revision})[0]["seq"]
    return Change(seq, when, note.action, note.what, note.who, previous, revision)
