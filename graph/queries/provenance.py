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
    """The unit as named on `at` (its former name when `names.csv` covers that date), and
    the former-name row used (None: its own, latest name)."""
    if at is None:
        return unit, None
    for n in reader.unit_names(unit.id):
        if n.valid_at(at):
            return dataclasses.replace(unit, name=n.name, name_en=n.name_en or unit.name_en,
                                       abbr=n.abbr), n
    return unit, None


def former_name(reader: GraphReader, unit_id: str, at: dt.date | None) -> UnitName | None:
    """The former name of the unit on `at`, if `names.csv` covers that date."""
    if at is None:
        return None
    return next((n for n in reader.unit_names(unit_id) if n.valid_at(at)), None)


def names(reader: GraphReader, unit: Unit) -> list[dict[str, Any]]:
    """Every name of the unit, oldest first, the current one last (its `valid_to` open)."""
    former = reader.unit_names(unit.id)
    out = [{"name": n.name, "name_en": n.name_en, "abbr": n.abbr, "valid_from": _d(n.valid_from),
            "valid_to": _d(n.valid_to), "source": n.source, "current": False} for n in former]
    start = max((n.valid_to for n in former if n.valid_to), key=lambda d: d.first_day(),
                default=unit.valid_from)
    out.append({"name": unit.name, "name_en": unit.name_en, "abbr": unit.abbr,
                "valid_from": _d(start), "valid_to": _d(unit.valid_to), "source": unit.source,
                "current": True})
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
