"""Small readings shared by apply, impact and diff: headcount on a date, ancestors, subtrees."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from graph.model import Headcount
from graph.store import GraphReader


def headcount_at(reader: GraphReader, unit_id: str, at: dt.date) -> Headcount | None:
    """The unit's headcount on `at`: the latest approved figure dated on or before it, else
    the latest actual one (a partial date counts from its first day)."""
    best: Headcount | None = None
    best_actual: Headcount | None = None
    for h in reader.headcounts(unit_id):  # in date order
        if h.date.first_day() > at:
            break
        if h.basis == "actual":
            best_actual = h
        else:
            best = h
    return best or best_actual


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
