"""`stats`: counts by kind and level, total headcount, people with concurrent posts, on a date.

Nationally (no root) on the in-memory baseline the answer comes from step functions
of the day precomputed once (`graph.embedded.memory_index`): a binary search, not a pass over the
units. Other readers make one pass over the units, the figures and the posts of that
date; under a root, only its scope (`scope_ids`) is walked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from graph.model import Headcount
from graph.queries.answers import require_unit
from graph.embedded.memory_index import day, index_for
from graph.store import GraphReader

#: How many people with concurrent posts are listed by name (all are counted).
CONCURRENT_SAMPLE = 20


def scope_ids(reader: GraphReader, root: str, at: dt.date | None) -> list[str]:
    """`root` and every unit under it on `at`, breadth first: the PART_OF subtree and,
    for a place (a province, a district), the bodies whose `area` is that place or a
    place under it, with their own subtrees (so `qn` covers the Provincial Party
    Committee, the People's Committee... that are not PART_OF the province itself)."""
    index = index_for(reader) if at is not None else None
    if index is not None:
        d = day(at)

        def kids(uid: str) -> list[str]:
            return index.children(uid, d) + index.in_area(uid, d)
    else:
        by_area: dict[str, list[str]] | None = None

        def kids(uid: str) -> list[str]:
            nonlocal by_area
            if by_area is None:  # one pass over the units, only when there is no index
                by_area = {}
                for u in reader.units(at):
                    if u.area:
                        by_area.setdefault(u.area, []).append(u.id)
            return reader.children(uid, at) + by_area.get(uid, [])
    out, seen, frontier = [], {root}, [root]
    while frontier:
        out.extend(frontier)
        nxt = []
        for uid in frontier:
            for kid in kids(uid):
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


def _answer(reader: GraphReader, at: dt.date | None, root: str | None,
            by_kind_level: Counter, headcount: int, with_figure: int, with_posts: int,
            concurrent: int, sample: list[tuple[str, int]]) -> dict[str, Any]:
    by_kind: Counter[str] = Counter()
    by_level: Counter[str] = Counter()
    for (kind, level), n in by_kind_level.items():
        by_kind[kind] += n
        by_level[level] += n
    people = []
    for pid, n in sample[:CONCURRENT_SAMPLE]:
        person = reader.get_person(pid)
        people.append({"id": pid, "name": person.name if person else None, "posts": n})
    return {
        "at": at.isoformat() if at else None,
        "root": root,
        "units": sum(by_kind.values()),
        "by_kind": dict(sorted((k, v) for k, v in by_kind.items() if v)),
        "by_level": dict(sorted((k, v) for k, v in by_level.items() if v)),
        "headcount": {"total": headcount, "units_with_figure": with_figure},
        "people_with_posts": with_posts,
        "people_with_concurrent_posts": concurrent,
        "concurrent_sample": people,
    }


def stats(reader: GraphReader, at: dt.date | None, root: str | None = None) -> dict[str, Any]:
    """Counts on `at` (under `root`, or everywhere): units by kind and by level, total
    headcount (and how many units have a figure), people holding posts and those holding
    more than one post at once (nhất thể hóa), with the first of them by id."""
    index = index_for(reader) if at is not None else None
    if root is None and index is not None:
        c = index.stats_counts(day(at))
        return _answer(reader, at, root, Counter(c["by_kind_level"]), c["headcount"],
                       c["units_with_figure"], c["people_with_posts"],
                       c["people_with_concurrent_posts"], c["concurrent_sample"])
    if root is not None:
        require_unit(reader, root, at, field="root")
        units = [u for u in reader.get_units(scope_ids(reader, root, at)).values()
                 if u.valid_at(at)]
        from graph.queries.structure import headcount_at
        figures = {}
        for u in units:
            if index is not None:
                value = index.figure(u.id, day(at))
            else:
                h = headcount_at(reader, u.id, at)
                value = h.headcount if h is not None else None
            if value is not None:
                figures[u.id] = value
        holders = {p.person_id for u in units for p in reader.posts(unit_id=u.id, at=at)}
        per_person = {pid: len(reader.posts(person_id=pid, at=at)) for pid in holders}
    else:
        units = reader.units(at)
        alive = {u.id for u in units}
        figures = {uid: n for uid, n in _latest_figures(reader, at).items() if uid in alive}
        per_person = Counter(p.person_id for p in reader.posts(at=at))
    concurrent = sorted((pid, n) for pid, n in per_person.items() if n > 1)
    return _answer(reader, at, root, Counter((u.kind, u.level) for u in units),
                   sum(figures.values()), len(figures), len(per_person), len(concurrent),
                   concurrent)
