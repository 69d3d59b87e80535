"""`path`: the structural path between two units on a date.

First through the PART_OF tree (up from one unit to the lowest common ancestor, then
down to the other); when the two units share no ancestor, a breadth-first search over
every relation valid on that date (PART_OF, SERVES, GUIDED_BY, either direction),
bounded so that a request never walks the whole graph.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.queries.answers import require_unit, unit_ref
from graph.store import GraphReader

#: The most units the relation search visits before it gives up.
SEARCH_BUDGET = 20_000


def _chain(reader: GraphReader, unit_id: str, at: dt.date | None) -> list[str]:
    """The unit and its ancestors on `at`, upwards."""
    return [unit_id, *reader.ancestors(unit_id, at)]


def _tree_path(reader: GraphReader, a: str, b: str, at: dt.date | None):
    up = _chain(reader, a, at)
    down = _chain(reader, b, at)
    index = {uid: i for i, uid in enumerate(down)}
    for i, uid in enumerate(up):
        if uid in index:
            steps = [(x, "PART_OF", "up") for x in up[1:i + 1]]
            steps += [(x, "PART_OF", "down") for x in reversed(down[:index[uid]])]
            return uid, steps
    return None, None


def _relation_path(reader: GraphReader, a: str, b: str, at: dt.date | None):
    """Shortest path over all relations (undirected), or None within the budget."""
    came: dict[str, tuple[str, str, str] | None] = {a: None}
    frontier = [a]
    while frontier and len(came) < SEARCH_BUDGET:
        nxt = []
        for uid in frontier:
            for r in reader.relations(uid, at, direction="both"):
                other, direction = ((r.target_id, "out") if r.source_id == uid
                                    else (r.source_id, "in"))
                if other in came:
                    continue
                came[other] = (uid, r.type, direction)
                if other == b:
                    steps = []
                    cur, step = b, came[b]
                    while step is not None:
                        prev, rtype, d = step
                        label = ({"out": "up", "in": "down"}[d] if rtype == "PART_OF"
                                 else {"out": "to", "in": "from"}[d])
                        steps.append((cur, rtype, label))
                        cur, step = prev, came[prev]
                    return list(reversed(steps))
                nxt.append(other)
        frontier = nxt
    return None


def path(reader: GraphReader, from_id: str, to_id: str, at: dt.date | None) -> dict[str, Any]:
    """`{"from", "to", "at", "found", "via", "common_ancestor", "length", "steps"}`; each
    step is the unit reached, the relation followed and its direction (`up` to a parent,
    `down` to a child, `to` / `from` along SERVES or GUIDED_BY)."""
    start = require_unit(reader, from_id, at, field="from")
    end = require_unit(reader, to_id, at, field="to")
    common, steps = _tree_path(reader, from_id, to_id, at)
    via = "PART_OF"
    if steps is None:
        via = "relations"
        steps = _relation_path(reader, from_id, to_id, at)
    found = steps is not None
    steps = steps or []
    units = reader.get_units(uid for uid, _, _ in steps)
    return {
        "from": unit_ref(start), "to": unit_ref(end),
        "at": at.isoformat() if at else None,
        "found": found, "via": via if found else None,
        "common_ancestor": common,
        "length": len(steps),
        "steps": [unit_ref(units.get(uid), uid) | {"relation": rtype, "direction": d}
                  for uid, rtype, d in steps],
    }
