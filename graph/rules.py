"""The domain's reading rules, each written once: every backend and query calls these.

- `headcount_steps` / `headcount_on` / `headcounts_on`: a unit's headcount on a date is its
  latest approved figure dated on or before that date, else its latest actual one (a
  partial date counts from its first day; at=None: the latest figure of all);
- `latest_parent`: the PART_OF parent on a date (at=None: the most recent one);
- `ancestor_ids`: the walk up the PART_OF tree, stopping at a cycle;
- `event_matches`: the event filter of `GraphReader.events`;
- the stable orders of lists: `unit_order_key`, `relation_order_key`, `headcount_order_key`,
  `event_order_key`, `post_order_key`;
- `today` / `default_at`: the `at` of a read that gives none.

Pure functions over `graph.model` records; nothing here touches a store.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from typing import Callable, Iterable, Sequence

from graph.dates import parse_at
from graph.model import Event, Headcount, Post, Relation, Unit, UnitName

# -- headcount on a date -----------------------------------------------------------------------


def headcount_steps(figures: Iterable[Headcount]) -> list[tuple[dt.date, Headcount]]:
    """The figure in force from each day on, as a step function: `[(first day, figure)]`,
    days increasing, from one unit's figures in date order (`headcount_order_key`).

    The rule: the latest approved figure dated on or before the day, else the latest
    actual one. Several figures on one day collapse into one step (approved wins)."""
    steps: list[tuple[dt.date, Headcount]] = []
    approved: Headcount | None = None
    for h in figures:
        if h.basis != "actual":
            approved = h
        chosen = h if approved is None else approved  # with no approved one, h is the latest actual
        day = h.date.first_day()
        if steps and steps[-1][0] == day:
            steps[-1] = (day, chosen)
        else:
            steps.append((day, chosen))
    return steps


def step_on(steps: Sequence[tuple[dt.date, Headcount]], at: dt.date | None) -> Headcount | None:
    """The figure of `headcount_steps` in force on `at` (at=None: the last one)."""
    if not steps:
        return None
    if at is None:
        return steps[-1][1]
    i = bisect.bisect_right(steps, at, key=lambda s: s[0])
    return steps[i - 1][1] if i else None


def headcount_on(figures: Iterable[Headcount], at: dt.date | None) -> Headcount | None:
    """One unit's headcount on `at`, from its figures in date order (see `headcount_steps`)."""
    return step_on(headcount_steps(figures), at)


def headcounts_on(figures: Iterable[Headcount], at: dt.date | None) -> dict[str, Headcount]:
    """Every unit's headcount on `at`, from all figures in date order (one pass)."""
    by_unit: dict[str, list[Headcount]] = defaultdict(list)
    for h in figures:
        by_unit[h.unit_id].append(h)
    out = {}
    for uid, own in by_unit.items():
        found = headcount_on(own, at)
        if found is not None:
            out[uid] = found
    return out


# -- the tree ----------------------------------------------------------------------------------


def latest_parent(part_of: Iterable[Relation], at: dt.date | None) -> str | None:
    """The parent among a unit's PART_OF relations: the one valid on `at`, or with at=None
    the most recent (open-ended first, then the latest end)."""
    best: Relation | None = None
    for rel in part_of:
        if not rel.valid_at(at):
            continue
        if at is not None:
            return rel.target_id  # at most one PART_OF parent holds on any date
        if best is None or (rel.valid_to is None or
                            (best.valid_to is not None and rel.valid_to > best.valid_to)):
            best = rel
    return best.target_id if best else None


def ancestor_ids(parent_of: Callable[[str], str | None], unit_id: str,
                 limit: int | None = None) -> list[str]:
    """The parent of `unit_id`, its parent, ... up to the root (the unit excluded),
    stopping before a unit seen already (a cycle in unvalidated data) or after `limit`."""
    out: list[str] = []
    seen = {unit_id}
    current = parent_of(unit_id)
    while current is not None and current not in seen:
        if limit is not None and len(out) >= limit:
            break
        out.append(current)
        seen.add(current)
        current = parent_of(current)
    return out


# -- the event filter --------------------------------------------------------------------------


def area_on(unit: Unit, names: Iterable[UnitName], at: dt.date | None) -> str:
    """The unit's area on `at`: the `area` of its name row covering that date (names.csv
    dates the area of a unit that moved), else its own."""
    if at is not None:
        for n in names:
            if n.area and n.valid_at(at):
                return n.area
    return unit.area


def in_area(unit: Unit, names: Iterable[UnitName], at: dt.date | None, area: str) -> bool:
    """Whether the unit belongs to `area` on `at` (at=None: on any date)."""
    if at is None:
        return unit.area == area or any(n.area == area for n in names)
    return area_on(unit, names, at) == area


def moved_units(names: Iterable[UnitName]) -> dict[str, list[UnitName]]:
    """The name rows of each unit with a dated area (one of its rows has an `area`)."""
    rows: dict[str, list[UnitName]] = defaultdict(list)
    for n in names:
        rows[n.unit_id].append(n)
    return {uid: mine for uid, mine in rows.items() if any(n.area for n in mine)}


def relisted(found: Iterable[Unit], moved: dict[str, tuple[Unit, list[UnitName]]],
             at: dt.date | None, *, kind: str | None, level: str | None,
             area: str) -> list[Unit]:
    """An area listing read by the units' own `area` (`found`), corrected for the units
    with a dated area (`moved`: each with its name rows): in id order."""
    out = [u for u in found if u.id not in moved]
    out += [u for u, names in moved.values()
            if (kind is None or u.kind == kind) and (level is None or u.level == level)
            and u.valid_at(at) and in_area(u, names, at, area)]
    out.sort(key=unit_order_key)
    return out


def event_matches(e: Event, *, unit_id: str | None = None, type: str | None = None,
                  basis: str | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> bool:
    """Whether `e` passes the filter of `GraphReader.events`: `unit_id` among its inputs or
    outputs, its type, a document among its basis, its date (first day) in the inclusive
    range [date_from, date_to]."""
    if type is not None and e.type != type:
        return False
    if basis is not None and basis not in e.basis:
        return False
    if unit_id is not None and unit_id not in e.inputs and unit_id not in e.outputs:
        return False
    if date_from is not None or date_to is not None:
        day = e.date.first_day()
        if date_from is not None and day < date_from:
            return False
        if date_to is not None and day > date_to:
            return False
    return True


# -- stable orders -----------------------------------------------------------------------------


def unit_order_key(u: Unit) -> str:
    return u.id


def relation_order_key(r: Relation) -> tuple:
    # the first day as stored (`PartialDate._first`): millions of sorted reads in a plan
    return (r.type, r.source_id, r.target_id,
            r.valid_from._first if r.valid_from else dt.date.min)


def headcount_order_key(h: Headcount) -> tuple:
    return (h.date, h.unit_id)


def event_order_key(e: Event) -> tuple:
    return (e.date, e.id)


def post_order_key(p: Post) -> tuple:
    """Posts of one unit as answers list them: by role, then holder."""
    return (p.role, p.person_id)


# -- the default `at` --------------------------------------------------------------------------


def today() -> dt.date:
    """The day a read without `at` answers for (the server's local date)."""
    return dt.date.today()


def default_at(configured: str | None = None) -> dt.date:
    """The `at` of a read that gives none: the configured default (a settings text such
    as `2018-08-07`; a bad one raises DateParseError naming `default_at`), else today."""
    if configured:
        parsed = parse_at(configured, field="default_at")
        if parsed is not None:
            return parsed
    return today()
