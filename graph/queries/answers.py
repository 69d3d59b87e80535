"""Shared pieces of the read queries: unit and event dictionaries, lookups that raise.

Every query module builds its answers from these, so that a unit, an event and the
"did not exist on that date" answer look the same everywhere (API, CLI, visualiser).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from graph.dates import PartialDate
from graph.errors import InvalidParameter, NotFound
from graph.model import Document, Event, Headcount, Unit
from graph.web_address import web_address_problem

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


def document_dict(doc: Document) -> dict[str, Any]:
    """A document as JSON: its fields, its `url` only when it is a web address of the
    contract (`graph.web_address`) or empty. A store loaded before that rule may hold
    other text there (`javascript:alert(1)`, a file name): then `url` is None and
    `url_problem` says what the store holds and why it is no address, so that no client
    links it as the pages do not; `url_problem` is None otherwise."""
    url: str | None = doc.url
    url_problem = None
    if doc.url and (problem := web_address_problem(doc.url)) is not None:
        url = None
        url_problem = {"stored": doc.url, "message": f"not a web address: {problem}"}
    return {"id": doc.id, "code": doc.code, "title": doc.title, "issuer": doc.issuer,
            "date": _d(doc.date), "url": url, "url_problem": url_problem,
            "source": doc.source}


def headcount_dict(h: Headcount | None) -> dict[str, Any] | None:
    if h is None:
        return None
    return {"headcount": h.headcount, "date": str(h.date), "basis": h.basis, "source": h.source}


def lifetime_text(unit: Unit) -> str:
    start = f"from {unit.valid_from}" if unit.valid_from else "from an unknown date"
    end = f"until {unit.valid_to} (exclusive)" if unit.valid_to else "with no end"
    return f"{start} {end}"


class NotOnDate(NotFound):
    """A unit asked for on a date outside its lifetime. `extensions` are the members the
    API adds to its problem+json (RFC 9457 extension members): the unit, the date, its
    lifetime, what superseded it (or what it superseded, asked before it began) and the
    units that stood in its place on the date."""

    def __init__(self, detail: str, *, errors: list[dict[str, Any]],
                 extensions: dict[str, Any]):
        super().__init__(detail, errors=errors)
        self.extensions = extensions


#: How many lineage steps `successors_on` follows (a chain of mergers, not a loop).
SUCCESSION_STEPS = 50


def successors_on(reader: GraphReader, unit: Unit, at: dt.date) -> list[dict[str, Any]]:
    """The units that stood in `unit`'s place on `at`: what superseded it (its lineage's
    MERGE, CONSOLIDATE, SPLIT, RENAME outputs), and what superseded those in turn until a
    unit existing on `at` (id, name, valid_from, valid_to), in the order met."""
    from graph.queries.provenance import status

    found: list[dict[str, Any]] = []
    seen = {unit.id}
    frontier = [unit]
    for _ in range(SUCCESSION_STEPS):
        following: list[Unit] = []
        for current in frontier:
            ids = [i["id"] for i in status(reader, current)["superseded_by"]
                   if i["id"] not in seen and (i["date"] or "") <= at.isoformat()]
            seen.update(ids)
            units = reader.get_units(ids)
            for i in ids:
                u = units.get(i)
                if u is None:
                    continue
                if u.valid_at(at):
                    found.append({"id": u.id, "name": u.name, "valid_from": _d(u.valid_from),
                                  "valid_to": _d(u.valid_to)})
                else:
                    following.append(u)
        if not following:
            break
        frontier = following
    return found


def _lineage_text(items: list[dict[str, Any]]) -> str:
    return ", ".join(f"{i['id']} ({i['name']})" if i.get("name") else str(i["id"])
                     for i in items)


def not_on_date(reader: GraphReader, unit: Unit, at: dt.date) -> NotOnDate:
    """The 404 of a unit asked for on `at`, outside its lifetime: when it existed and, if
    it had ended, what superseded it and by which event (the lineage's answer, as the
    unit's own answer gives it in `superseded_by`), so that a planner following an old id
    lands on the unit that took its place; if it had not begun, what it came from."""
    from graph.queries.provenance import status

    day = at.isoformat()
    st = status(reader, unit)
    ended = unit.valid_to is not None and at >= unit.valid_to.first_day()
    detail = (f"unit {unit.id!r} ({unit.name}) did not exist on {day}: it existed "
              f"{lifetime_text(unit)}")
    extensions: dict[str, Any] = {"unit": unit.id, "at": day, "valid_from": _d(unit.valid_from),
                                  "valid_to": _d(unit.valid_to)}
    if ended:
        superseded = [i for i in st["superseded_by"] if (i["date"] or "") <= day]
        now = successors_on(reader, unit, at)
        extensions |= {"reason": st["reason"], "superseded_by": superseded,
                       "successors_on_date": now}
        if superseded:
            by_event: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
            for i in superseded:
                by_event.setdefault((i["type"], i["date"], i["event"]), []).append(i)
            detail += "; " + "; ".join(
                f"it was {_verb(kind)} on {date} into {_lineage_text(items)} (event {event})"
                for (kind, date, event), items in by_event.items())
            if now and {i["id"] for i in now} != {i["id"] for i in superseded}:
                detail += f"; on {day} its place is held by {_lineage_text(now)}"
            elif not now:
                detail += f"; none of them existed on {day} either"
        elif st["reason"] and st["reason"] != "ended":
            detail += f"; it was {st['reason']} on {_d(unit.valid_to)}"
    else:
        came_from = list(st["supersedes"])
        extensions["supersedes"] = came_from
        if came_from:
            dates = ", ".join(sorted({str(i["date"]) for i in came_from}))
            detail += f"; it was formed on {dates} from {_lineage_text(came_from)}"
    error: dict[str, Any] = {"field": "at", "message": "outside the unit's lifetime",
                             "value": day, "unit": unit.id, "valid_from": _d(unit.valid_from),
                             "valid_to": _d(unit.valid_to)}
    if ended:
        error["superseded_by"] = [i["id"] for i in extensions["superseded_by"]]
    return NotOnDate(detail, errors=[error], extensions=extensions)


_VERBS = {"MERGE": "merged", "CONSOLIDATE": "consolidated", "SPLIT": "split",
          "RENAME": "renamed"}


def _verb(event_type: str) -> str:
    return _VERBS.get(event_type, event_type.lower())


def require_unit(reader: GraphReader, unit_id: str, at: dt.date | None = None,
                 field: str = "unit_id") -> Unit:
    """The unit, or NotFound: unknown id, or (with `at`) a date outside its lifetime
    (`NotOnDate`), the detail then saying when it existed and what superseded it."""
    unit = reader.get_unit(unit_id)
    if unit is None:
        raise NotFound(f"no unit with id {unit_id!r}",
                       errors=[{"field": field, "message": "unknown unit id", "value": unit_id}])
    if at is not None and not unit.valid_at(at):
        raise not_on_date(reader, unit, at)
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
