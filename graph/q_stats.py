"""`stats`: counts by kind and level, total headcount, people with concurrent posts, on a date.

Nationally (no root) it makes one pass over the units, the headcount figures and the
posts on that date; under a root it walks that subtree only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from graph.model import Headcount
from graph.q_common import require_unit
from graph.store import GraphReader

#: How many people with concurrent posts are listed by name (all are counted).
CONCURRENT_SAMPLE = 20


def scope_ids(reader: GraphReader, root: str, at: dt.date | None) -> list[str]:
    """`root` and every unit under it on `at`, breadth first."""
    out, seen, frontier = [], {root}, [root]
    while frontier:
        out.extend(frontier)
        nxt = []
        for uid in frontier:
            for kid in reader.children(uid, at):
                if kid not in seen:
                    seen.add(kid)
                    nxt.append(kid)
        frontier = nxt
    return out


def _latest_figures(reader: GraphReader, at: dt.date | None) -> dict[str, int]:
    """Each unit's headcount on `at` (latest approved figure, else latest actual), one pass."""
    approved: dict[str, Headcount] = {}
    actual: dict[str, Headcount] = {}
    for h in reader.headcounts():  # in date order
        if at is not None and h.date.first_day() > at:
            break
        (actual if h.basis == "actual" else approved)[h.unit_id] = h
    return {uid: h.headcount for uid, h in (actual | approved).items()}


def stats(reader: GraphReader, at: dt.date | None, root: str | None = None) -> dict[str, Any]:
    """Counts on `at` (under `root`, or everywhere): units by kind and by level, total
    headcount (and how many units have a figure), people holding posts and those holding
    more than one post at once (nhất thể hóa)."""
    if root is not None:
        require_unit(reader, root, at, field="root")
        ids = scope_ids(reader, root, at)
        units = [u for u in reader.get_units(ids).values() if u.valid_at(at)]
        from graph.queries import headcount_at
        figures = {}
        for u in units:
            h = headcount_at(reader, u.id, at)
            if h is not None:
                figures[u.id] = h.headcount
        holders: Counter[str] = Counter()
        for u in units:
            for p in reader.posts(unit_id=u.id, at=at):
                holders[p.person_id] += 0
        posts_per_person = {pid: len(reader.posts(person_id=pid, at=at)) for pid in holders}
    else:
        units = reader.units(at)
        all_figures = _latest_figures(reader, at)
        alive = {u.id for u in units}
        figures = {uid: n for uid, n in all_figures.items() if uid in alive}
        posts_per_person = Counter(p.person_id for p in reader.posts(at=at))
    concurrent = sorted(pid for pid, n in posts_per_person.items() if n > 1)
    sample = []
    for pid in concurrent[:CONCURRENT_SAMPLE]:
        person = reader.get_person(pid)
        sample.append({"id": pid, "name": person.name if person else None,
                       "posts": posts_per_person[pid]})
    return {
        "at": at.isoformat() if at else None,
        "root": root,
        "units": len(units),
        "by_kind": dict(sorted(Counter(u.kind for u in units).items())),
        "by_level": dict(sorted(Counter(u.level for u in units).items())),
        "headcount": {"total": sum(figures.values()), "units_with_figure": len(figures)},
        "people_with_posts": len(posts_per_person),
        "people_with_concurrent_posts": len(concurrent),
        "concurrent_sample": sample,
    }
