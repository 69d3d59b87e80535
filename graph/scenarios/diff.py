"""`diff(before, after)`: the units a scenario adds, removes, moves, renames and merges."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from graph.scenarios.apply import LogEntry
from graph.scenarios.state import ScenarioState
from graph.store import GraphReader


def diff(before: GraphReader, after: ScenarioState, *, at: dt.date | None = None,
         log: Iterable[LogEntry] | None = None) -> dict[str, Any]:
    """What changed, unit by unit, between the baseline and the scenario on `at`
    (default: the scenario's effective date). Reads only the units the log names."""
    at = at or after.effective_at
    log = tuple(after.log if log is None else log)

    def brief(reader: GraphReader, uid: str) -> dict[str, Any]:
        u = reader.get_unit(uid)
        return {"id": uid, "name": u.name if u else "", "kind": u.kind if u else None,
                "parent": reader.parent(uid, at) if u else None}

    started = list(dict.fromkeys(u for e in log for u in e.started))
    ended = list(dict.fromkeys(u for e in log for u in e.ended))
    alive_after = {u for u in started if (x := after.get_unit(u)) and x.valid_at(at)}
    added = [brief(after, u) | {"operation": _op_of(log, u, "started")}
             for u in started if u in alive_after]
    successors: dict[str, list[str]] = {}
    for e in log:
        for ev in e.events:
            if ev.type in ("MERGE", "CONSOLIDATE", "SPLIT", "RENAME"):
                for i in ev.inputs:
                    successors.setdefault(i, []).extend(o for o in ev.outputs if o != i)
    removed = []
    for u in ended:
        if u in started:  # created and ended inside the scenario: never in the baseline
            continue
        unit = after.get_unit(u)
        removed.append(brief(before, u) | {"ended": str(unit.valid_to) if unit else None,
                                           "successors": successors.get(u, []),
                                           "operation": _op_of(log, u, "ended")})
    moved = []
    seen: set[str] = set()
    for e in log:
        for unit, _, _ in e.moved:
            if unit in seen or unit in ended or unit in started:
                continue
            seen.add(unit)
            old, new = before.parent(unit, at), after.parent(unit, at)
            if old != new:
                u = after.get_unit(unit)
                moved.append({"id": unit, "name": u.name if u else "", "from": old, "to": new})
    renamed = [{"id": u, "from": old, "to": new, "new_id": nid if nid != u else None,
                "operation": e.index}
               for e in log for u, old, new, nid in e.renamed]
    merged, split = [], []
    for e in log:
        for ev in e.events:
            if ev.type in ("MERGE", "CONSOLIDATE"):
                merged.append({"event": ev.id, "type": ev.type, "inputs": list(ev.inputs),
                               "into": ev.outputs[0], "date": str(ev.date),
                               "operation": e.index})
            elif ev.type == "SPLIT":
                split.append({"event": ev.id, "unit": ev.inputs[0], "into": list(ev.outputs),
                              "date": str(ev.date), "operation": e.index})
    functions = [{"function": f, "from": src, "to": dest, "operation": e.index}
                 for e in log for f, src, dest in e.functions]
    return {"at": at.isoformat(), "added": added, "removed": removed, "moved": moved,
            "renamed": renamed, "merged": merged, "split": split, "functions": functions,
            "events": [ev.as_dict() for e in log for ev in e.events]}


def _op_of(log: tuple[LogEntry, ...], unit: str, attr: str) -> int | None:
    for e in log:
        if unit in getattr(e, attr):
            return e.index
    return None
