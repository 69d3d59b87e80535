"""A unit's history, and the diff of the structure between two dates.

`history(reader, unit_id)`: everything recorded for one unit in date order: its start
and end, the events it took part in, parent changes, children joining and leaving,
SERVES / GUIDED_BY links, functions, headcount figures (with the change from the
previous figure) and posts. Only that unit's facts are read.

`diff(reader, date_from, date_to, root)`: what changed between two dates, under a root
or everywhere: units added, removed, moved (another parent), moved in and moved out of
the root's scope (units that exist on both dates but are under the root on one only: a
Party cell whose ward ends goes on under the new ward's Party Committee; with the parent
and area it had and has), renamed (RENAME events), headcount deltas, and the events dated
in (date_from, date_to] that explain them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.dates import PartialDate
from graph.errors import InvalidParameter
from graph.model import Headcount, Relation, Unit
from graph.queries import provenance
from graph.queries.answers import event_dict, require_unit, unit_ref
from graph.queries.stats import scope_ids
from graph.rules import area_on
from graph.store import GraphReader

#: Order of entries dated on the same day: what ends, the events, the start, what begins.
_RANK = {"end": 0, "post_end": 0, "function_removed": 0, "child_removed": 0, "link_removed": 0,
         "event": 1, "start": 2, "parent": 3, "headcount": 5}


def _entry(date: PartialDate | None, type_: str, **fields: Any) -> dict[str, Any] | None:
    if date is None:
        return None
    return {"_date": date, "date": str(date), "type": type_, **fields}


def _parent_changes(reader: GraphReader, unit: Unit, rels: list[Relation]):
    """Parent changes from the unit's PART_OF relations (one parent at a time)."""
    rels = sorted(rels, key=lambda r: r.valid_from or PartialDate(1))
    targets = reader.get_units(r.target_id for r in rels)
    previous: Relation | None = None
    for r in rels:
        before = previous.target_id if previous and previous.valid_to == r.valid_from else None
        yield _entry(r.valid_from, "parent", **{
            "from": unit_ref(targets.get(before), before) if before else None,
            "to": unit_ref(targets.get(r.target_id), r.target_id), "source": r.source})
        previous = r
    for i, r in enumerate(rels):
        nxt = rels[i + 1] if i + 1 < len(rels) else None
        if r.valid_to is not None and (nxt is None or nxt.valid_from != r.valid_to) \
                and r.valid_to != unit.valid_to:
            yield _entry(r.valid_to, "parent", **{
                "from": unit_ref(targets.get(r.target_id), r.target_id), "to": None,
                "source": r.source})


def history(reader: GraphReader, unit_id: str) -> dict[str, Any]:
    """`{"unit", "items": [...]}`: every dated change of the unit, oldest first. Each item
    has `date`, `type` (start, end, event, parent, child_added, child_removed, link_added,
    link_removed, function_added, function_removed, headcount, post_start, post_end) and
    the fields of that change."""
    reader = reader.unit_view(unit_id, None)  # the unit's facts, loaded in one read (Neo4j)
    unit = require_unit(reader, unit_id)
    entries: list[dict[str, Any] | None] = []
    events = reader.events(unit_id=unit_id)
    # The events that explain the start and the end: dated on that bound, unit on that side.
    starting = [e.id for e in events if unit_id in e.outputs and unit_id not in e.inputs
                and e.date == unit.valid_from]
    ending = [e.id for e in events if unit_id in e.inputs and unit_id not in e.outputs
              and e.date == unit.valid_to]
    entries.append(_entry(unit.valid_from, "start", events=starting))
    entries.append(_entry(unit.valid_to, "end", events=ending))
    for e in events:
        role = ("input and output" if unit_id in e.inputs and unit_id in e.outputs
                else "input" if unit_id in e.inputs else "output")
        entries.append(_entry(e.date, "event", id=e.id, role=role, event=event_dict(e)))
    rels = reader.relations(unit_id, None, direction="both")
    entries.extend(_parent_changes(reader, unit, [r for r in rels if r.type == "PART_OF"
                                                  and r.source_id == unit_id]))
    children = [r for r in rels if r.type == "PART_OF" and r.target_id == unit_id]
    others = reader.get_units({r.source_id for r in children}
                              | {r.target_id if r.source_id == unit_id else r.source_id
                                 for r in rels if r.type != "PART_OF"})
    for r in children:
        ref = unit_ref(others.get(r.source_id), r.source_id)
        entries.append(_entry(r.valid_from, "child_added", unit=ref, source=r.source))
        entries.append(_entry(r.valid_to, "child_removed", unit=ref, source=r.source))
    for r in rels:
        if r.type == "PART_OF":
            continue
        outgoing = r.source_id == unit_id
        other = r.target_id if outgoing else r.source_id
        link = {"relation": r.type, "direction": "out" if outgoing else "in",
                "unit": unit_ref(others.get(other), other), "source": r.source}
        entries.append(_entry(r.valid_from, "link_added", **link))
        entries.append(_entry(r.valid_to, "link_removed", **link))
    for f in reader.functions(unit_id):
        entries.append(_entry(f.valid_from, "function_added", function=f.function, source=f.source))
        entries.append(_entry(f.valid_to, "function_removed", function=f.function, source=f.source))
    last: dict[str, int] = {}
    for h in reader.headcounts(unit_id):
        before = last.get(h.basis)
        entries.append(_entry(h.date, "headcount", headcount=h.headcount, basis=h.basis,
                              previous=before, change=None if before is None else h.headcount - before,
                              source=h.source))
        last[h.basis] = h.headcount
    for n, after in provenance.name_changes(reader, unit):  # a rename that kept the id
        entries.append(_entry(n.valid_to, "renamed", **{"from": n.name, "to": after.name,
                                                         "source": n.source}))
    for n, old_area, new_area in provenance.area_moves(reader, unit):  # moved, id kept
        entries.append(_entry(n.valid_to, "moved", **{"from_area": old_area or None,
                                                       "to_area": new_area or None,
                                                       "source": n.source}))
    for p in reader.posts(unit_id=unit_id):
        person = reader.get_person(p.person_id)
        post = {"person_id": p.person_id, "person": person.name if person else None,
                "role": p.role, "source": p.source}
        entries.append(_entry(p.valid_from, "post_start", **post))
        entries.append(_entry(p.valid_to, "post_end", **post))
    items: list[dict[str, Any]] = [e for e in entries if e is not None]
    items.sort(key=lambda item: (item["_date"], _RANK.get(item["type"], 4), item["type"],
                                 str(item.get("id", ""))))
    for item in items:
        del item["_date"]
    return {"unit": unit_ref(unit), "items": items, "names": provenance.names(reader, unit),
            "plans": provenance.plans_for(reader, unit_id)}


# -- diff ------------------------------------------------------------------------------------
def _scope(reader: GraphReader, root: str | None, root_unit: Unit | None,
           at: dt.date) -> dict[str, Unit]:
    """The units on `at` under `root` (or all). When the root did not exist on `at`, its
    lineage relatives that did (the units it came from or became) stand in for it."""
    if root is None:
        return {u.id: u for u in reader.units(at)}
    starts = [root]
    if root_unit is not None and not root_unit.valid_at(at):
        from graph.queries.lineage import lineage
        lin = lineage(reader, root)
        ended = root_unit.valid_to is not None and at >= root_unit.valid_to.first_day()
        related = [i["unit"]["id"] for i in lin["successors" if ended else "predecessors"]]
        starts = [uid for uid, u in reader.get_units(related).items() if u.valid_at(at)]
    ids: list[str] = []
    for s in starts:
        ids.extend(scope_ids(reader, s, at))
    return {uid: u for uid, u in reader.get_units(ids).items() if u.valid_at(at)}


def _events_between(reader: GraphReader, date_from: dt.date, date_to: dt.date,
                    ids: set[str] | None):
    start = date_from + dt.timedelta(days=1) if date_from < dt.date.max else date_from
    if ids is None:
        yield from reader.events(date_from=start, date_to=date_to)
    else:  # the scope's events only (on Neo4j one query through their links)
        yield from reader.events_touching(ids, start, date_to)


def _headcount(h: Headcount | None) -> int | None:
    return h.headcount if h else None


def diff(reader: GraphReader, date_from: dt.date, date_to: dt.date,
         root: str | None = None) -> dict[str, Any]:
    """What changed between `date_from` and `date_to` (under `root`, or everywhere)."""
    if date_from > date_to:
        raise InvalidParameter("from must not be after to",
                               errors=[{"field": "from", "message": "after `to`",
                                        "value": date_from.isoformat()}])
    root_unit = None
    if root is not None:
        root_unit = require_unit(reader, root, field="root")
        if not (root_unit.valid_at(date_from) or root_unit.valid_at(date_to)):
            require_unit(reader, root, date_from, field="root")
    before = _scope(reader, root, root_unit, date_from)
    after = _scope(reader, root, root_unit, date_to)
    scoped = None if root is None else set(before) | set(after)
    events = list(_events_between(reader, date_from, date_to, scoped))
    by_unit: dict[str, list[str]] = {}
    for e in events:
        for uid in dict.fromkeys(e.inputs + e.outputs):
            by_unit.setdefault(uid, []).append(e.id)

    # a unit that left the scope but still exists on `to` moved out (it is not removed),
    # one that entered it and already existed on `from` moved in (it is not added)
    gone = sorted(set(before) - set(after))
    moved_out = [u for u in gone if before[u].valid_at(date_to)]
    removed = [u for u in gone if not before[u].valid_at(date_to)]
    came = sorted(set(after) - set(before))
    moved_in = [u for u in came if after[u].valid_at(date_from)]
    added = [u for u in came if not after[u].valid_at(date_from)]
    moved, deltas = [], []
    kept = sorted(set(before) & set(after))
    crossed = sorted(moved_out + moved_in)
    # each date's parents and figures in one batch each (one query on Neo4j, not one a unit)
    parents_from = reader.parents(kept + removed + crossed, date_from)
    parents_to = reader.parents(kept + added + crossed, date_to)
    figures_from = reader.headcounts_at(before, date_from)
    figures_to = reader.headcounts_at(after, date_to)
    for uid in kept:
        p0, p1 = parents_from[uid], parents_to[uid]
        if p0 != p1:
            moved.append({"unit": unit_ref(after[uid]), "from_parent": p0, "to_parent": p1,
                          "events": by_unit.get(uid, [])})
    crossing: dict[str, dict[str, Any]] = {}
    for uid in crossed:
        unit, names = before.get(uid) or after[uid], reader.unit_names(uid)
        crossing[uid] = {"unit": unit_ref(after.get(uid) or unit),
                         "from_parent": parents_from[uid], "to_parent": parents_to[uid],
                         "from_area": area_on(unit, names, date_from) or None,
                         "to_area": area_on(unit, names, date_to) or None,
                         "events": by_unit.get(uid, [])}
    total_before = total_after = 0
    for uid in sorted(set(before) | set(after)):
        h0 = _headcount(figures_from[uid]) if uid in before else None
        h1 = _headcount(figures_to[uid]) if uid in after else None
        total_before += h0 or 0
        total_after += h1 or 0
        if h0 != h1:
            deltas.append({"unit": unit_ref(after.get(uid) or before.get(uid)), "before": h0,
                           "after": h1,
                           # a unit that ends (or starts) takes its whole figure with it; a unit that
                           # exists on a date with no figure makes the change unknown, not +/- all of it
                           "change": None if (uid in before and h0 is None) or (uid in after and h1 is None)
                           else (h1 or 0) - (h0 or 0)})
    renamed = []
    for e in events:
        if e.type == "RENAME":
            for old in e.inputs:
                for new in e.outputs:
                    u_old, u_new = reader.get_unit(old), reader.get_unit(new)
                    renamed.append({"from": unit_ref(u_old, old), "to": unit_ref(u_new, new),
                                    "event": e.id, "date": str(e.date)})
    return {
        "from": date_from.isoformat(), "to": date_to.isoformat(), "root": root,
        "summary": {"units_before": len(before), "units_after": len(after),
                    "added": len(added), "removed": len(removed), "moved": len(moved),
                    "moved_in": len(moved_in), "moved_out": len(moved_out),
                    "renamed": len(renamed), "headcount_before": total_before,
                    "headcount_after": total_after,
                    "headcount_change": total_after - total_before, "events": len(events)},
        "added": [unit_ref(after[u]) | {"parent": parents_to[u],
                                        "events": by_unit.get(u, [])} for u in added],
        "removed": [unit_ref(before[u]) | {"parent": parents_from[u],
                                           "events": by_unit.get(u, [])} for u in removed],
        "moved": moved,
        "moved_in": [crossing[u] for u in moved_in],
        "moved_out": [crossing[u] for u in moved_out],
        "renamed": renamed,
        "headcount": deltas,
        "events": [event_dict(e) for e in events],
    }
