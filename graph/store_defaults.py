"""The capabilities of `graph.store.GraphReader` answered over its primitives alone.

`graph.store.ReaderDefaults` calls these; a backend that answers a capability natively
overrides the method with the same answer (the contract tests compare them). Each walk
reads one unit's neighbours at a time, so it suits any backend, fast or not.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable

from graph import rules
from graph.areas import ChainReader, blank_body, infer_area, inferred_members
from graph.model import Event, Headcount, Unit
from graph.queries.answers import unit_dict

if TYPE_CHECKING:
    from graph.scenarios.changes import ChangeSet
    from graph.store import ChangeNote, GraphReader, GraphStore, StatsCounts, UnitPage


def headcount(reader: GraphReader, unit_id: str, at: dt.date | None) -> Headcount | None:
    return rules.headcount_on(reader.headcounts(unit_id), at)


def ancestors(reader: GraphReader, unit_id: str, at: dt.date | None) -> list[str]:
    return rules.ancestor_ids(lambda uid: reader.parent(uid, at), unit_id)


def roots(reader: GraphReader, at: dt.date | None) -> list[str]:
    return [u.id for u in reader.units(at) if reader.parent(u.id, at) is None]


def _figure(reader: GraphReader, unit_id: str, at: dt.date | None) -> int | None:
    h = reader.headcount(unit_id, at)
    return h.headcount if h is not None else None


def subtree(reader: GraphReader, root_id: str, at: dt.date | None,
            depth: int | None = None) -> dict[str, Any]:
    root = reader.get_unit(root_id)
    assert root is not None, "the caller checks that the root exists"
    root_node: dict[str, Any] = {"unit": unit_dict(root, reader.parent(root_id, at)),
                                 "headcount": _figure(reader, root_id, at), "child_count": 0,
                                 "children": []}
    seen = {root_id}
    stack: list[tuple[dict[str, Any], str, int]] = [(root_node, root_id, 0)]
    while stack:
        node, uid, level = stack.pop()
        kid_ids = [k for k in reader.children(uid, at) if k not in seen]
        kids = reader.get_units(kid_ids)
        kid_ids = [k for k in kid_ids if k in kids and kids[k].valid_at(at)]
        node["child_count"] = len(kid_ids)
        if depth is not None and level >= depth:
            continue
        seen.update(kid_ids)
        for k in kid_ids:
            child: dict[str, Any] = {"unit": unit_dict(kids[k], uid),
                                     "headcount": _figure(reader, k, at),
                     "child_count": 0, "children": []}
            node["children"].append(child)
            stack.append((child, k, level + 1))
    return root_node


def parents(reader: GraphReader, unit_ids: Iterable[str],
            at: dt.date | None) -> dict[str, str | None]:
    return {uid: reader.parent(uid, at) for uid in dict.fromkeys(unit_ids)}


def headcounts_at(reader: GraphReader, unit_ids: Iterable[str],
                  at: dt.date | None) -> dict[str, Headcount | None]:
    return {uid: reader.headcount(uid, at) for uid in dict.fromkeys(unit_ids)}


def units_under(reader: GraphReader, roots: Iterable[str], at: dt.date | None,
                depth: int | None, cap: int) -> int:
    """Breadth first over `children`, level by level, stopping once past `cap`."""
    seen: set[str] = set()
    frontier = [r for r in dict.fromkeys(roots)]
    seen.update(frontier)
    level = 0
    while frontier and len(seen) <= cap and (depth is None or level < depth):
        nxt = []
        for uid in frontier:
            for kid in reader.children(uid, at):
                if kid not in seen:
                    seen.add(kid)
                    nxt.append(kid)
            if len(seen) > cap:
                break
        frontier = nxt
        level += 1
    return len(seen)


def events_touching(reader: GraphReader, unit_ids: Iterable[str], date_from: dt.date | None,
                    date_to: dt.date | None) -> list[Event]:
    ids = set(unit_ids)
    return [e for e in reader.events(date_from=date_from, date_to=date_to)
            if ids.intersection(e.inputs) or ids.intersection(e.outputs)]


def sourced_subtree(reader: GraphReader, root_id: str, at: dt.date | None,
                    depth: int | None = None) -> dict[str, Any]:
    from graph.queries.structure import sourced_tree  # the answer's one definition
    return sourced_tree(reader, reader.subtree(root_id, at, depth), at)


def scope(reader: GraphReader, root_id: str, at: dt.date | None) -> list[str]:
    by_area: dict[str, list[str]] | None = None

    def kids(uid: str) -> list[str]:
        nonlocal by_area
        if by_area is None:  # one pass over the units, only once something is walked
            by_area = {}
            for u in reader.units(at):
                # its area on `at` (a unit that moved has it in its names.csv rows)
                area = rules.area_on(u, reader.unit_names(u.id), at) if u.area else ""
                if area:
                    by_area.setdefault(area, []).append(u.id)
        return reader.children(uid, at) + by_area.get(uid, [])
    return breadth_first(root_id, kids)


def breadth_first(root_id: str, kids: Any) -> list[str]:
    """`root_id` and every unit reached through `kids(uid)`, breadth first, each once."""
    out, seen, frontier = [], {root_id}, [root_id]
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


def stats_counts(reader: GraphReader, at: dt.date | None, root: str | None = None,
                 area: str | None = None) -> StatsCounts:
    from graph.store import CONCURRENT_SAMPLE, StatsCounts

    if root is not None or area is not None:
        ids = counted_ids(reader, at, root, area)
        units = [u for u in reader.get_units(ids).values() if u.valid_at(at)]
        figures = {uid: h.headcount
                   for uid, h in reader.headcounts_at([u.id for u in units], at).items()
                   if h is not None}
        holders = {p.person_id for u in units for p in reader.posts(unit_id=u.id, at=at)}
        per_person: dict[str, int] = {pid: len(reader.posts(person_id=pid, at=at))
                                      for pid in holders}
    else:
        units = reader.units(at)
        alive = {u.id for u in units}
        figures = {uid: h.headcount
                   for uid, h in rules.headcounts_on(reader.headcounts(), at).items()
                   if uid in alive}
        per_person = Counter(p.person_id for p in reader.posts(at=at))
    concurrent = sorted((pid, n) for pid, n in per_person.items() if n > 1)
    return StatsCounts(by_kind_level=dict(Counter((u.kind, u.level) for u in units)),
                       headcount=sum(figures.values()), units_with_figure=len(figures),
                       people_with_posts=len(per_person),
                       people_with_concurrent_posts=len(concurrent),
                       concurrent_sample=concurrent[:CONCURRENT_SAMPLE])


def counted_ids(reader: GraphReader, at: dt.date | None, root: str | None,
                area: str | None) -> list[str]:
    """The units `stats_counts` counts under `root` (`scope`, breadth first), in `area`
    (`area_ids`, by id), or with both the area's units within the scope (in scope order)."""
    members = area_ids(reader, area, at) if area is not None else None
    if root is None:
        assert members is not None, "a root or an area"
        return members
    scope = reader.scope(root, at)
    if members is None:
        return scope
    mine = set(members)
    return [uid for uid in scope if uid in mine]


#: The `limit` of an `area_page` that is the area's every unit.
EVERY = 10**9


def area_ids(reader: GraphReader, area: str, at: dt.date | None) -> list[str]:
    """The ids of the units `area_page(area, at)` pages through, every kind and level (its
    one page holding them all), by id: an area's units for its stats."""
    assert at is not None, "an area's units are those of a date (the caller checks)"
    return [u.id for u in reader.area_page(area, at, limit=EVERY).items]


def inferred_area(reader: GraphReader, unit_id: str, at: dt.date) -> str:
    """The area the rule gives the unit on `at` when it names none there: its own chain
    read (`graph.areas.infer_area`, batched as `area_page`'s), not every blank body's."""
    unit = reader.get_unit(unit_id)
    if unit is None or not unit.valid_at(at) or not blank_body(unit):
        return ""
    if rules.area_on(unit, reader.unit_names(unit_id), at):  # a name row gives it one
        return ""
    return infer_area(reader, unit, at)


def prefetch(reader: GraphReader, unit_ids: Iterable[str]) -> None:
    """No bulk load to make: a reader in memory answers each unit at once."""
    return None


def unit_page(reader: GraphReader, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None, offset: int = 0,
              limit: int = 50) -> UnitPage:
    from graph.store import UnitPage

    found = reader.units(at, kind=kind, level=level, area=area)
    return UnitPage(items=found[offset:offset + limit], total=len(found), offset=offset,
                    limit=limit)


def area_page(reader: GraphReader, area: str, at: dt.date, *, kind: str | None = None,
              level: str | None = None, offset: int = 0, limit: int = 50) -> UnitPage:
    """The units naming `area` (`units`) and the bodies naming none on `at` whose chain
    gives it (`graph.areas.inferred_members`, their chains read in batches): one pass
    over the units, as `unit_page`."""
    blank = [u for u in reader.units(at, kind=kind, level=level, area="") if blank_body(u)]
    inferred = inferred_members(ChainReader(reader, at).load(blank), blank, area, at,
                                dated_area_units(reader)) if blank else []
    return listed(reader.units(at, kind=kind, level=level, area=area), inferred, offset, limit)


def dated_area_units(reader: GraphReader) -> set[str]:
    """The units whose area names.csv dates (a row with an `area`): the reader's own set
    when it keeps one (a scenario's state), else from its names table."""
    own = getattr(reader, "dated_area_units", None)
    if callable(own):
        return set(own())
    return {n.unit_id for n in reader.dataset().names if n.area}


def listed(own: list[Unit], inferred: list[Unit], offset: int, limit: int) -> UnitPage:
    """The `area_page` of the units naming the area (`own`) and those it is inferred for,
    both in id order (the two never meet: an inferred unit names no area on the date)."""
    from graph.store import UnitPage

    every = sorted(own + inferred, key=rules.unit_order_key) if inferred else own
    start = max(0, offset)
    items = every[start:start + max(0, limit)]
    ids = {u.id for u in inferred}
    return UnitPage(items=items, total=len(every), offset=offset, limit=limit,
                    inferred=frozenset(u.id for u in items if u.id in ids))


def commit_changes(store: GraphStore, changes: ChangeSet, *, expected_revision: str,
                   change: ChangeNote) -> str:
    """A change set written as the whole dataset it gives (`replace_dataset`, which checks
    the expected revision in its own transaction): the embedded store's commit."""
    return store.replace_dataset(changes.apply_to(store.dataset()),
                                 expected_revision=expected_revision, change=change)
