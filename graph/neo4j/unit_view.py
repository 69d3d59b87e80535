"""`UnitView`: one unit's answers (`GET /units/{id}`, its history) from one query.

`graph.queries.structure.unit_detail` asks its reader ~20 questions about one unit (its
parent and that unit, the parent relation, children, headcount, posts, each holder and
the holder's other posts and their units, former names, events and their units, plans,
functions, four kinds of links and their units): against the store, one Bolt round trip
each. `Neo4jStore.unit_view(unit_id, at)` answers them from one read
(`answer:unit_view` in `graph.neo4j.cypher_answers`, each list the rows of the primitive
query it stands for), decoded by the store's own decoders and rules, so that every answer
is the store's. A question the view did not load (another unit, another date, a filter)
goes to the store, as before.

A view lives for one answer: it is made, read and dropped by one request (the generation
it read may be replaced a moment later; it never outlives the request that made it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Iterable

from graph import rules
from graph.model import Event, Function, Headcount, Person, Plan, Post, Relation, Unit, UnitName
from graph.neo4j.records import DECODE, ordered
from graph.neo4j.records import relation as decode_relation
from graph.store import ReaderDefaults

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore


def _seq_sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: r["seq"])


class UnitView(ReaderDefaults):
    """A `GraphReader` answering one unit's questions on one date from one loaded row and
    passing every other question to its store."""

    def __init__(self, store: "Neo4jStore", unit_id: str, at: dt.date | None,
                 row: dict[str, Any]):
        from graph.neo4j.store import _figure_on, _parent_of
        self._store, self.unit_id, self.at = store, unit_id, at
        self._unit = DECODE["units"](row["unit"])
        self._units: dict[str, Unit] = {u.id: u for u in (DECODE["units"](p) for p in row["refs"])}
        out, into = _seq_sorted(row["out"]), _seq_sorted(row["in"])
        self._out = [decode_relation(r) for r in out]
        self._in = [decode_relation(r) for r in into]
        self._parent = _parent_of([r for r in out if r["type"] == "PART_OF"], at)
        self._children = sorted({r.source_id for r in self._in if r.type == "PART_OF"})
        self._figures = row["figures"]
        self._headcount = _figure_on(row["figures"], at)
        self._posts = ordered("posts", [{"p": p} for p in row["posts"]])
        held: dict[str, list[dict[str, Any]]] = {pid: [] for pid in row["pids"]}
        for p in row["held"]:
            held[p["person_id"]].append({"p": p})
        self._held = {pid: ordered("posts", rows) for pid, rows in held.items()}
        self._people: dict[str, Person] = {p.id: p for p in (DECODE["people"](x) for x in row["people"])}
        self._events = ordered("events", [{"p": e} for e in row["events"]])
        self._functions = ordered("functions", [{"p": f} for f in row["functions"]])
        names = ordered("names", [{"p": n} for n in row["names"]])
        self._names = sorted(names, key=lambda n: n.valid_from.first_day() if n.valid_from
                             else dt.date.min)
        self._plans = sorted(ordered("plans", [{"p": p} for p in row["plans"]]), key=lambda p: p.id)

    def _mine(self, unit_id: str, at: dt.date | None) -> bool:
        return unit_id == self.unit_id and at == self.at

    # -- identity -------------------------------------------------------------------------
    @property
    def revision(self) -> str:
        return self._store.revision

    # -- answered from the view ---------------------------------------------------------------
    def get_unit(self, unit_id: str) -> Unit | None:
        if unit_id == self.unit_id:
            return self._unit
        if unit_id in self._units:
            return self._units[unit_id]
        return self._store.get_unit(unit_id)

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        ids = list(dict.fromkeys(unit_ids))
        missing = [i for i in ids if i not in self._units]
        found = dict(self._units)
        if missing:
            found.update(self._store.get_units(missing))
        return {i: found[i] for i in ids if i in found}

    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        return self._parent if self._mine(unit_id, at) else self._store.parent(unit_id, at)

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        return list(self._children) if self._mine(unit_id, at) else self._store.children(unit_id, at)

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        if not self._mine(unit_id, at):
            return self._store.relations(unit_id, at, types=types, direction=direction)
        wanted = set(types) if types is not None else None
        edges = {"out": self._out, "in": self._in, "both": self._out + self._in}.get(direction, [])
        out = [r for r in edges if wanted is None or r.type in wanted]
        out.sort(key=rules.relation_order_key)
        return out

    def headcount(self, unit_id: str, at: dt.date | None) -> Headcount | None:
        return self._headcount if self._mine(unit_id, at) else self._store.headcount(unit_id, at)

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        if unit_id != self.unit_id or self.at is not None:  # figures up to `at` only
            return self._store.headcounts(unit_id)
        out = ordered("headcounts", [{"p": f} for f in self._figures])
        out.sort(key=rules.headcount_order_key)
        return out

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        if at == self.at and person_id is None and unit_id == self.unit_id:
            return list(self._posts)
        if at == self.at and unit_id is None and person_id in self._held:
            return list(self._held[person_id])
        return self._store.posts(unit_id=unit_id, person_id=person_id, at=at)

    def get_person(self, person_id: str) -> Person | None:
        if person_id in self._people:
            return self._people[person_id]
        return self._store.get_person(person_id)

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        if unit_id == self.unit_id and type is None and basis is None and date_from is None \
                and date_to is None:
            return list(self._events)
        return self._store.events(unit_id=unit_id, type=type, basis=basis,
                                  date_from=date_from, date_to=date_to)

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        if unit_id is not None and self._mine(unit_id, at):
            return list(self._functions)
        return self._store.functions(unit_id, at)

    def unit_names(self, unit_id: str) -> list[UnitName]:
        return list(self._names) if unit_id == self.unit_id else self._store.unit_names(unit_id)

    def plans(self) -> list[Plan]:
        return list(self._plans)

    # -- passed on ----------------------------------------------------------------------------
    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        return self._store.units(at, kind=kind, level=level, area=area)

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        return self._store.all_relations(at, types=types)

    def get_event(self, event_id: str) -> Event | None:
        return self._store.get_event(event_id)

    def people(self) -> list[Person]:
        return self._store.people()

    def get_document(self, document_id: str) -> Any:
        return self._store.get_document(document_id)

    def documents(self) -> list[Any]:
        return self._store.documents()

    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        return self._store.search_units(text, at, limit)

    def dataset(self) -> Any:
        return self._store.dataset()

    def unit_view(self, unit_id: str, at: dt.date | None) -> Any:
        return self if self._mine(unit_id, at) else self._store.unit_view(unit_id, at)

    # the capabilities: the store's own (one query each), not walks over this view
    def ancestors(self, unit_id: str, at: dt.date | None) -> list[str]:
        return self._store.ancestors(unit_id, at)

    def roots(self, at: dt.date | None) -> list[str]:
        return self._store.roots(at)

    def subtree(self, root_id: str, at: dt.date | None, depth: int | None = None) -> dict[str, Any]:
        return self._store.subtree(root_id, at, depth)

    def sourced_subtree(self, root_id: str, at: dt.date | None,
                        depth: int | None = None) -> dict[str, Any]:
        return self._store.sourced_subtree(root_id, at, depth)

    def scope(self, root_id: str, at: dt.date | None) -> list[str]:
        return self._store.scope(root_id, at)

    def stats_counts(self, at: dt.date | None, root: str | None = None,
                     area: str | None = None) -> Any:
        return self._store.stats_counts(at, root, area)

    def inferred_area(self, unit_id: str, at: dt.date) -> str:
        return self._store.inferred_area(unit_id, at)

    def unit_page(self, at: dt.date | None = None, *, kind: str | None = None,
                  level: str | None = None, area: str | None = None, offset: int = 0,
                  limit: int = 50) -> Any:
        return self._store.unit_page(at, kind=kind, level=level, area=area, offset=offset,
                                     limit=limit)

    def area_page(self, area: str, at: dt.date, *, kind: str | None = None,
                  level: str | None = None, offset: int = 0, limit: int = 50) -> Any:
        return self._store.area_page(area, at, kind=kind, level=level, offset=offset,
                                     limit=limit)

    def parents(self, unit_ids: Iterable[str], at: dt.date | None) -> dict[str, str | None]:
        return self._store.parents(unit_ids, at)

    def headcounts_at(self, unit_ids: Iterable[str],
                      at: dt.date | None) -> dict[str, Headcount | None]:
        return self._store.headcounts_at(unit_ids, at)

    def events_touching(self, unit_ids: Iterable[str], date_from: dt.date | None,
                        date_to: dt.date | None) -> list[Event]:
        return self._store.events_touching(unit_ids, date_from, date_to)

    def units_under(self, roots: Iterable[str], at: dt.date | None, depth: int | None,
                    cap: int) -> int:
        return self._store.units_under(roots, at, depth, cap)
