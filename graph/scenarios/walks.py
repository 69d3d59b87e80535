"""Walks over a reader shared by apply and impact: ancestors, subtrees, children on a date
(with first days of partial dates cached for the hot loops)."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from graph.dates import PartialDate
from graph.store import GraphReader

_FIRST_DAY: dict[PartialDate, dt.date] = {}


def _first_day(d: PartialDate) -> dt.date:
    day = _FIRST_DAY.get(d)
    if day is None:
        if len(_FIRST_DAY) > 100_000:
            _FIRST_DAY.clear()
        day = _FIRST_DAY[d] = d.first_day()
    return day


def valid_on(record, at: dt.date) -> bool:
    """`record.valid_at(at)` for a dated fact, with first days cached (hot loops)."""
    start, end = record.valid_from, record.valid_to
    return (start is None or _first_day(start) <= at) and (end is None or at < _first_day(end))


def children_reader(reader: GraphReader, at: dt.date) -> Callable[[str], list[str]]:
    """`lambda uid: reader.children(uid, at)`, faster over the in-memory graph (its
    adjacency lists read directly) for walks over many units."""
    from graph.embedded.memory import MemoryGraph

    memory = reader.pinned()  # a store's current in-memory graph, if it has one
    if isinstance(memory, MemoryGraph):
        incoming = memory.incoming

        def kids(uid: str) -> list[str]:
            return sorted({r.source_id for r in incoming(uid)
                           if r.type == "PART_OF" and valid_on(r, at)})
        return kids
    return lambda uid: reader.children(uid, at)


def ancestors(reader: GraphReader, unit_id: str, at: dt.date, limit: int = 1000) -> list[str]:
    """Parents upwards from `unit_id` (not included), stopping at a cycle."""
    out: list[str] = []
    seen = {unit_id}
    current = reader.parent(unit_id, at)
    while current is not None and len(out) < limit:
        out.append(current)
        if current in seen:
            break
        seen.add(current)
        current = reader.parent(current, at)
    return out


def subtree(reader: GraphReader, roots: Iterable[str], at: dt.date,
            seen: set[str] | None = None) -> dict[str, int]:
    """Units under `roots` (included) on `at`, each with its distance from its root."""
    out: dict[str, int] = {}
    seen = set() if seen is None else seen
    frontier = [r for r in roots if r not in seen]
    seen.update(frontier)
    depth = 0
    while frontier:
        nxt = []
        for uid in frontier:
            out[uid] = depth
            for child in reader.children(uid, at):
                if child not in seen:
                    seen.add(child)
                    nxt.append(child)
        frontier = nxt
        depth += 1
    return out
