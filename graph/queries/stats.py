"""`stats`: counts by kind and level, total headcount, people with concurrent posts, on a date.

The counts are the reader's capability (`GraphReader.stats_counts`): the in-memory
baseline answers nationally from step functions of the day precomputed once (a binary
search, not a pass over the units), other readers make one pass over the units, the
figures and the posts of that date; under a root, only its scope is walked; in an area,
only the units its area listing gives (`GraphReader.area_page`: those naming the area and
the bodies naming none that its PART_OF chain gives it). This module checks the root and
the area and shapes the answer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from graph.areas import TERRITORIAL_KINDS
from graph.errors import InvalidParameter
from graph.queries.answers import require_unit
from graph.store import CONCURRENT_SAMPLE, GraphReader, StatsCounts

__all__ = ["CONCURRENT_SAMPLE", "scope_ids", "stats"]


def scope_ids(reader: GraphReader, root: str, at: dt.date | None) -> list[str]:
    """`root` and every unit under it on `at`, breadth first: the PART_OF subtree and,
    for a place (a province, a district), the bodies whose `area` is that place or a
    place under it, with their own subtrees (so `qn` covers the Provincial Party
    Committee, the People's Committee... that are not PART_OF the province itself).
    (`GraphReader.scope`.)"""
    return reader.scope(root, at)


def _answer(reader: GraphReader, at: dt.date | None, root: str | None, area: str | None,
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
        "area": area,
        "units": sum(by_kind.values()),
        "by_kind": dict(sorted((k, v) for k, v in by_kind.items() if v)),
        "by_level": dict(sorted((k, v) for k, v in by_level.items() if v)),
        "headcount": {"total": headcount, "units_with_figure": with_figure},
        "people_with_posts": with_posts,
        "people_with_concurrent_posts": concurrent,
        "concurrent_sample": people,
    }


def stats(reader: GraphReader, at: dt.date | None, root: str | None = None,
          area: str | None = None) -> dict[str, Any]:
    """Counts on `at` (under `root`, in `area`, or everywhere): units by kind and by level,
    total headcount (and how many units have a figure), people holding posts and those
    holding more than one post at once (nhất thể hóa), with the first of them by id.

    `area` (a province, district or commune existing on `at`): the units `GET
    /units?area=` lists on `at`, those naming it and the bodies naming none whose chain
    gives it (not the units of the places under it: `root` covers those). With `root`
    too: the area's units within the root's scope (the intersection)."""
    if root is not None:
        require_unit(reader, root, at, field="root")
    if area is not None:
        check_area(reader, area, at)
    c: StatsCounts = reader.stats_counts(at, root, area)
    return _answer(reader, at, root, area, Counter(c.by_kind_level), c.headcount,
                   c.units_with_figure, c.people_with_posts, c.people_with_concurrent_posts,
                   c.concurrent_sample)


def check_area(reader: GraphReader, area: str, at: dt.date | None) -> None:
    """An area of `stats`: a date is given (an area's units are those of a day), and the
    unit exists on it (NotFound, as a root) and is a province, district or commune."""
    if at is None:
        raise InvalidParameter("area needs a date: an area's units are those of a day",
                               errors=[{"field": "at", "message": "a date is required with "
                                        "area", "value": None}])
    unit = require_unit(reader, area, at, field="area")
    if unit.kind not in TERRITORIAL_KINDS:
        raise InvalidParameter(
            f"area: {area} is a {unit.kind}, not an area (a province, district or commune)",
            errors=[{"field": "area", "message": "expected the id of a province, district or "
                     "commune", "value": area}])
