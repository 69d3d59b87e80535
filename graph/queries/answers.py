"""Shared pieces of the read queries: unit and event dictionaries, lookups that raise.

Every query module builds its answers from these, so that a unit, an event and the
"did not exist on that date" answer look the same everywhere (API, CLI, visualiser).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from graph.dates import PartialDate
from graph.errors import InvalidParameter, NotFound
from graph.model import Event, Headcount, Unit

if TYPE_CHECKING:  # graph.store's default capabilities render their answers with these
    from graph.store import GraphReader


_DATE_TEXT: dict[PartialDate, str] = {}


def _d(value: PartialDate | None) -> str | None:
    """A partial date as text (memoised: a dataset has few distinct dates)."""
    if value is None:
        return None
    text = _DATE_TEXT.get(value)
    if text is None:
        if len(_DATE_TEXT) > 100_000:
            _DATE_TEXT.clear()
        text = _DATE_TEXT[value] = str(value)
    return text


def unit_dict(unit: Unit, parent: str | None = None) -> dict[str, Any]:
    """A unit as JSON: its fields (partial dates as text) and its `parent` id on the date asked."""
    return {"id": unit.id, "name": unit.name, "name_en": unit.name_en, "abbr": unit.abbr,
            "kind": unit.kind, "level": unit.level, "area": unit.area,
            "valid_from": _d(unit.valid_from), "valid_to": _d(unit.valid_to),
            "parent": parent, "note": unit.note, "source": unit.source}


def unit_ref(unit: Unit | None, unit_id: str = "") -> dict[str, Any]:
    """A short reference to a unit (id, name, name_en, kind, level); a bare id if it is unknown."""
    if unit is None:
        return {"id": unit_id, "name": None, "name_en": None, "kind": None, "level": None}
    return {"id": unit.id, "name": unit.name, "name_en": unit.name_en, "kind": unit.kind,
            "level": unit.level}


def event_dict(event: Event) -> dict[str, Any]:
    return {"id": event.id, "date": str(event.date), "type": event.type,
            "inputs": list(event.inputs), "outputs": list(event.outputs),
            "basis": list(event.basis), "description": event.description,
            "source": event.source}


def headcount_dict(h: Headcount | None) -> dict[str, Any] | None:
    if h is None:
        return None
    return {"headcount": h.headcount, "date": str(h.date), "basis": h.basis, "source": h.source}


def lifetime_text(unit: Unit) -> str:
    start = f"from {unit.valid_from}" if unit.valid_from else "from an unknown date"
    end = f"until {unit.valid_to} (exclusive)" if unit.valid_to else "with no end"
    return f"{start} {end}"


def require_unit(reader: GraphReader, unit_id: str, at: dt.date | None = None,
                 field: str = "unit_id") -> Unit:
    """The unit, or NotFound: unknown id, or (with `at`) a date outside its lifetime,
    the detail then saying when it existed."""
    unit = reader.get_unit(unit_id)
    if unit is None:
        raise NotFound(f"no unit with id {unit_id!r}",
                       errors=[{"field": field, "message": "unknown unit id", "value": unit_id}])
    if at is not None and not unit.valid_at(at):
        raise NotFound(f"unit {unit_id!r} ({unit.name}) did not exist on {at.isoformat()}: "
                       f"it existed {lifetime_text(unit)}",
                       errors=[{"field": "at", "message": "outside the unit's lifetime",
                                "value": at.isoformat(), "unit": unit_id,
                                "valid_from": _d(unit.valid_from),
                                "valid_to": _d(unit.valid_to)}])
    return unit


def check_depth(depth: int | None) -> None:
    if depth is not None and depth < 0:
        raise InvalidParameter("depth must be 0 or more",
                               errors=[{"field": "depth", "message": "must be >= 0",
                                        "value": depth}])


def lifetime_day(unit: Unit, wanted: dt.date) -> dt.date:
    """`wanted` if the unit existed then, else the nearest day of its lifetime
    (its last day for a unit that had ended, its first day for one not yet started)."""
    if unit.valid_at(wanted):
        return wanted
    if unit.valid_to is not None and wanted >= unit.valid_to.first_day():
        end = unit.valid_to.first_day()
        return end - dt.timedelta(days=1) if end > dt.date.min else end
    if unit.valid_from is not None:
        return unit.valid_from.first_day()
    return wanted
