"""Answers are bounded: a tree (subtree, snapshot) or a diff above `Settings.max_units`
units is refused before it is built, with a problem naming what to ask instead (a depth,
a lower root, or the export). Building first and refusing after would already have spent
the memory the bound protects (a national subtree is ~76 MB of JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from graph.errors import BomayError
from graph.queries.answers import check_depth
from graph.store import GraphReader


class AnswerTooLarge(BomayError):
    status = 422
    title = "Answer too large"


def units_under(reader: GraphReader, roots: Iterable[str], at: dt.date | None,
                depth: int | None, cap: int) -> int:
    """How many units the trees under `roots` on `at` hold (down to `depth`), counting
    no further than `cap + 1`."""
    # the reader's capability: one query on Neo4j, a walk over `children` by default
    return reader.units_under(roots, at, depth, cap)


def check_tree(reader: GraphReader, roots: list[str], at: dt.date | None,
               depth: int | None, cap: int, what: str) -> None:
    """Refuse a tree answer of more than `cap` units."""
    if units_under(reader, roots, at, depth, cap) > cap:
        _refuse(what, cap, depth)


def _refuse(what: str, cap: int, depth: int | None) -> None:
    raise AnswerTooLarge(
        f"{what} holds more than {cap} units, more than one answer carries: ask with "
        "`depth` (a few levels at a time), from a lower root, or take the whole "
        "structure from the export (GET /export or `bomay export`)",
        errors=[{"field": "depth", "message": f"more than {cap} units", "value": depth}])


def bounded_subtree(reader: GraphReader, root_id: str, at: dt.date, depth: int | None,
                    cap: int, what: str) -> dict[str, Any]:
    """The sourced subtree of `root_id` (`graph.queries.structure.subtree`), refused above
    `cap` units as `check_tree` refuses it, through the reader's `sourced_subtree_within`
    (Neo4j counts and answers in one query, the tree not read when refused; the others
    count, then answer). The caller has checked that the root exists on `at`."""
    check_depth(depth)
    found = reader.sourced_subtree_within(root_id, at, depth, cap)
    if isinstance(found, int):
        _refuse(what, cap, depth)
    return found


def check_diff(reader: GraphReader, root: str | None, dates: tuple[dt.date, dt.date],
               cap: int) -> None:
    """Refuse a diff whose scope (the units under `root`, or all) passes `cap` on either
    date."""
    for day in dates:
        if root is None:
            n = reader.unit_page(day, limit=0).total  # a count, not every unit
        else:
            n = units_under(reader, [root], day, None, cap) if reader.get_unit(root) else 0
        if n > cap:
            raise AnswerTooLarge(
                f"the diff {'of the whole structure' if root is None else f'under {root}'} "
                f"spans more than {cap} units on {day.isoformat()}: give a lower `root`, or "
                "compare two exports of the days (GET /export?at=...)",
                errors=[{"field": "root", "message": f"more than {cap} units", "value": root}])
