"""`lineage`: where a unit came from and what it became, through MERGE, CONSOLIDATE,
SPLIT and RENAME events, transitively.

Predecessors are found by walking events backwards from the unit (it is an output, the
inputs came before), successors forwards (it is an input, the outputs came after); each
unit appears once, at the depth it is first reached, with the event that links it.
Only the events of the units on the way are read, never the whole event list.
"""

from __future__ import annotations

from typing import Any

from graph.model import LINEAGE_EVENTS, Event
from graph.queries.answers import require_unit, unit_dict
from graph.queries.provenance import plans_for
from graph.store import GraphReader

#: A guard against pathological data: the most units one direction lists.
MAX_UNITS = 10_000


def event_ref(reader: GraphReader, event: Event) -> dict[str, Any]:
    """An event as a lineage item shows it: id, date, type and its basis documents."""
    docs = []
    for doc_id in event.basis:
        doc = reader.get_document(doc_id)
        docs.append({"id": doc_id, "code": doc.code if doc else None,
                     "title": doc.title if doc else None})
    return {"id": event.id, "date": str(event.date), "type": event.type,
            "basis": list(event.basis), "documents": docs, "description": event.description}


def _walk(reader: GraphReader, unit_id: str, forward: bool) -> list[dict[str, Any]]:
    here, there = ("inputs", "outputs") if forward else ("outputs", "inputs")
    out: list[dict[str, Any]] = []
    seen, frontier, depth = {unit_id}, [unit_id], 0
    while frontier and len(out) < MAX_UNITS:
        depth += 1
        found: list[tuple[Event, str, str]] = []
        for uid in frontier:
            for event in reader.events(unit_id=uid):
                if event.type not in LINEAGE_EVENTS or uid not in getattr(event, here):
                    continue
                for other in getattr(event, there):
                    if other not in seen:
                        seen.add(other)
                        found.append((event, other, uid))
        found.sort(key=lambda t: (t[0].date, t[0].id, t[1]))
        units = reader.get_units(o for _, o, _ in found)
        for event, other, via in found:
            unit = units.get(other)
            out.append({"unit": unit_dict(unit, reader.parent(other, None)) if unit
                        else {"id": other},
                        "event": event_ref(reader, event), "depth": depth, "via": via})
        frontier = [o for _, o, _ in found]
    return out[:MAX_UNITS]


def lineage(reader: GraphReader, unit_id: str) -> dict[str, Any]:
    """`{"unit", "predecessors": [...], "successors": [...]}`, each item
    `{"unit", "event": {id, date, type, basis, documents, description}, "depth", "via"}`
    (`via`: the unit of the previous step that the event links it to)."""
    unit = require_unit(reader, unit_id)
    return {"unit": unit_dict(unit, reader.parent(unit_id, None)), "predecessors": _walk(reader, unit_id, forward=False),
            "successors": _walk(reader, unit_id, forward=True),
            # Plans are not lineage: the ones that would change the unit, said apart.
            "plans": plans_for(reader, unit_id)}
