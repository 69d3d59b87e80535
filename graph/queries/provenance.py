"""What a unit's answer says about itself beyond its record: the name it had on a date
(`names.csv`), its status (active, or closed and why), what it superseded and what
superseded it, the plans that would change it, and where its parent relation comes from.

Read through `graph.store.GraphReader` only (`unit_names`, `plans`, `events`, `relations`),
so the baseline, a scenario's state and every backend answer alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from graph.model import LINEAGE_EVENTS, Relation, Unit, UnitName
from graph.store import GraphReader

#: Why a unit closed, by the type of the event that ended it.
CLOSING_REASONS = {"MERGE": "merged", "CONSOLIDATE": "consolidated", "SPLIT": "split",
                   "RENAME": "renamed", "DISSOLVE": "dissolved"}


def _d(value: Any) -> str | None:
    return None if value is None else str(value)


def name_on(reader: GraphReader, unit: Unit, at: dt.date | None) -> tuple[Unit, UnitName | None]:
    """The unit as named, and placed, on `at` (its former name and area when `names.csv`
    covers that date), and the row used (None: its own, latest name and area)."""
    if at is None:
        return unit, None
    for n in reader.unit_names(unit.id):
        if n.valid_at(at):
            return dataclasses.replace(unit, name=n.name, name_en=n.name_en or unit.name_en,
                                       abbr=n.abbr, area=n.area or unit.area), n
    return unit, None


def former_name(reader: GraphReader, unit_id: str, at: dt.date | None) -> UnitName | None:
    """The former name (and area) of the unit on `at`, if `names.csv` covers that date."""
    if at is None:
        return None
    return next((n for n in reader.unit_names(unit_id) if n.valid_at(at)), None)


def _spelling(name: UnitName | Unit) -> tuple[str, str, str]:
    return name.name, name.name_en, name.abbr


def name_changes(reader: GraphReader, unit: Unit) -> list[tuple[UnitName, Unit | UnitName]]:
    """Each former name the unit ended, with what came next (the next row, or the unit's
    own name): rows that only date an area (the next row spelt the same) are left out."""
    rows = reader.unit_names(unit.id)  # oldest first
    nexts: list[Unit | UnitName] = [*rows[1:], unit]
    return [(n, after) for n, after in zip(rows, nexts) if _spelling(n) != _spelling(after)]


def area_moves(reader: GraphReader, unit: Unit) -> list[tuple[UnitName, str, str]]:
    """Each time the unit moved to another area: (the row that ended, its area, the next)."""
    rows = reader.unit_names(unit.id)  # oldest first
    areas = [n.area or unit.area for n in rows] + [unit.area]
    return [(n, a, b) for n, a, b in zip(rows, areas, areas[1:]) if a != b]


def names(reader: GraphReader, unit: Unit) -> list[dict[str, Any]]:
    """Every name of the unit, oldest first, the current one last (its `valid_to` open);
    rows spelt the same one after the other (an area dated, not a rename) are one name."""
    former = reader.unit_names(unit.id)  # oldest first
    start = max((n.valid_to for n in former if n.valid_to), key=lambda d: d.first_day(),
                default=unit.valid_from)
    spans: list[tuple[UnitName | Unit, Any, Any, bool]] = [
        (n, n.valid_from, n.valid_to, False) for n in former]
    spans.append((unit, start, unit.valid_to, True))
    out: list[dict[str, Any]] = []
    for record, valid_from, valid_to, current in spans:
        if out and (out[-1]["name"], out[-1]["name_en"], out[-1]["abbr"]) == _spelling(record):
            out[-1].update(valid_to=_d(valid_to), current=current)
            if current:
                out[-1]["source"] = record.source
            continue
        out.append({"name": record.name, "name_en": record.name_en, "abbr": record.abbr,
                    "valid_from": _d(valid_from), "valid_to": _d(valid_to),
                    "source": record.source, "current": current})
    return out


def status(reader: GraphReader, unit: Unit) -> dict[str, Any]:
    """`{"status", "reason", "closed_on", "superseded_by", "supersedes"}`: `active`, or
    `closed` with the reason of the event that ended it (merged, consolidated, split,
    renamed, dissolved; `ended` when no event says why); its lineage neighbours with dates."""
    superseded_by: list[dict[str, Any]] = []
    supersedes: list[dict[str, Any]] = []
    reason = None
    for e in reader.events(unit_id=unit.id):
        if e.type not in LINEAGE_EVENTS and e.type != "DISSOLVE":
            continue
        renamed_in_place = e.type == "RENAME" and e.inputs == e.outputs
        if unit.id in e.inputs and not renamed_in_place:
            if unit.valid_to is not None and e.date == unit.valid_to and unit.id not in e.outputs:
                reason = CLOSING_REASONS.get(e.type, reason)
            for other in e.outputs:
                if other != unit.id:
                    superseded_by.append({"id": other, "date": str(e.date), "event": e.id,
                                          "type": e.type})
        if unit.id in e.outputs and not renamed_in_place:
            for other in e.inputs:
                if other != unit.id:
                    supersedes.append({"id": other, "date": str(e.date), "event": e.id,
                                       "type": e.type})
    others = reader.get_units([i["id"] for i in superseded_by + supersedes])
    for item in superseded_by + supersedes:
        u = others.get(item["id"])
        item["name"] = u.name if u else None
    closed = unit.valid_to is not None
    return {"status": "closed" if closed else "active",
            "reason": (reason or "ended") if closed else None,
            "closed_on": _d(unit.valid_to), "superseded_by": superseded_by,
            "supersedes": supersedes}


def plans_for(reader: GraphReader, unit_id: str) -> list[dict[str, Any]]:
    """The dataset's plans that would change the unit (id, name, status, date)."""
    return [p.summary() for p in reader.plans() if unit_id in p.units]


def parent_relation(reader: GraphReader, unit_id: str, parent_id: str | None,
                    at: dt.date | None) -> Relation | None:
    """The PART_OF relation that makes `parent_id` the unit's parent on `at`."""
    if parent_id is None:
        return None
    best: Relation | None = None
    for r in reader.relations(unit_id, at, types=("PART_OF",), direction="out"):
        if r.target_id == parent_id and (best is None or _start(r) > _start(best)):
            best = r
    return best


def _start(r: Relation) -> dt.date:
    return r.valid_from.first_day() if r.valid_from else dt.date.min


def relation_source(r: Relation | None) -> dict[str, Any] | None:
    """Where a relation comes from and when it holds (the parent's provenance)."""
    if r is None:
        return None
    return {"source": r.source, "valid_from": _d(r.valid_from), "valid_to": _d(r.valid_to),
            "note": r.note}
