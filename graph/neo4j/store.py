"""The Neo4j backend: `Neo4jStore`, a `graph.store.GraphStore` over the official driver.

Data model (see docs/neo4j.md for the whole picture):

- one node per record: `(:Unit)`, `(:Event)`, `(:Function)`, `(:Headcount)`, `(:Person)`,
  `(:Post)`, `(:Document)`, carrying the data-contract columns as properties (dates as ISO
  strings, kept partial) plus a first-day `*_day` Date for as-of filtering, `seq` (the
  record's position in the dataset, which fixes every "dataset order") and `gen` (the
  generation the record belongs to);
- relations as relationships `(:Unit)-[:PART_OF|SERVES|GUIDED_BY]->(:Unit)` with the same
  interval properties;
- navigation-only links (never read back by the store): `IN_AREA`, `INPUT`, `OUTPUT`,
  `BASED_ON`, `HAS_FUNCTION`, `HAS_HEADCOUNT`, `HOLDS`, `AT`;
- `(:Meta {key: 'current'})` holding the current `gen` and `revision`;
- `(:Scenario {id, body})`, body a JSON string; scenarios are not generation-scoped.

Atomicity of `replace_dataset`: the new data is written as a new *generation* in batched
transactions (UNWIND, `BATCH_SIZE` rows per transaction); a final transaction checks the
expected revision and the completeness of the new generation and swaps the `Meta` pointer;
old generations are deleted afterwards. Every read is anchored on the `Meta` pointer, so a
reader sees either the old generation or the new one, never a mix, and a write that fails
(or is killed) at any point before the swap leaves the previous data in force; its partial
generation is deleted at once when possible, and otherwise by the next successful write.

Safety: every query text is a module-level constant (`QUERIES`); labels and relationship
types come from fixed tuples and are never derived from data; every value travels as a
`$parameter`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
import threading
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence


from graph.codec import TABLES
from graph.dates import PartialDate
from graph.errors import Conflict, StoreError
from graph.embedded.memory import relation_order_key
from graph.model import (RELATION_TYPES, Dataset, Document, Event, Function, Headcount, Person,
                         Post, Relation, Unit)
from graph.queries.search import SearchIndex
from graph.store import StoredScenario, check_scenario_version
from graph.text import fold, words

#: Rows per write transaction.
BATCH_SIZE = 5000
#: Nodes deleted per transaction when dropping an old generation.
DELETE_BATCH = 10000

# -- fixed vocabulary of the Cypher text (never taken from data) ------------------------------
#: Dataset attribute -> node label, in write order (referenced nodes first).
LABELS: dict[str, str] = {
    "units": "Unit", "documents": "Document", "people": "Person", "events": "Event",
    "functions": "Function", "headcounts": "Headcount", "posts": "Post",
}
#: The relationship types of domain relations (the data contract's whitelist).
REL_TYPES: tuple[str, ...] = ("PART_OF", "SERVES", "GUIDED_BY")
assert frozenset(REL_TYPES) == RELATION_TYPES, "REL_TYPES must follow graph.model.RELATION_TYPES"
_REL_PATTERN = "|".join(REL_TYPES)
#: Labels whose records have an id; the others are keyed by (gen, seq).
_ID_LABELS = ("Unit", "Document", "Person", "Event")
#: Navigation links: name -> (from label, from key, rel type, to label, to key).
LINKS: dict[str, tuple[str, str, str, str, str]] = {
    "IN_AREA": ("Unit", "id", "IN_AREA", "Unit", "id"),
    "INPUT": ("Event", "id", "INPUT", "Unit", "id"),
    "OUTPUT": ("Event", "id", "OUTPUT", "Unit", "id"),
    "BASED_ON": ("Event", "id", "BASED_ON", "Document", "id"),
    "HAS_FUNCTION": ("Unit", "id", "HAS_FUNCTION", "Function", "seq"),
    "HAS_HEADCOUNT": ("Unit", "id", "HAS_HEADCOUNT", "Headcount", "seq"),
    "HOLDS": ("Person", "id", "HOLDS", "Post", "seq"),
    "AT": ("Post", "seq", "AT", "Unit", "id"),
}
_DATE_FIELDS = ("valid_from", "valid_to", "date")
_EVENT_LISTS = ("inputs", "outputs", "basis")
#: Unit properties used by search (folded in Python at write time with graph.text.fold).
_SEARCH_PROPS = ("name_folded", "name_en_folded", "abbr_key", "words")


def _asof(var: str) -> str:
    return (f"($at IS NULL OR (({var}.valid_from_day IS NULL OR {var}.valid_from_day <= $at) "
            f"AND ({var}.valid_to_day IS NULL OR $at < {var}.valid_to_day)))")


def _projection(var: str, table: str) -> str:
    columns = TABLES[table][1]
    return var + " {" + ", ".join(f".{c}" for c in columns) + ", .seq}"


_CURRENT = "MATCH (m:Meta {key: 'current'}) "
_REL_RETURN = ("RETURN s.id AS source_id, type(r) AS type, t.id AS target_id, "
               "r.valid_from AS valid_from, r.valid_to AS valid_to, r.note AS note, "
               "r.source AS source, r.seq AS seq")


def _build_queries() -> dict[str, str]:
    q: dict[str, str] = {}
    # -- schema -----------------------------------------------------------------------------
    q["schema:meta"] = ("CREATE CONSTRAINT bomay_meta_key IF NOT EXISTS "
                        "FOR (m:Meta) REQUIRE m.key IS UNIQUE")
    q["schema:scenario"] = ("CREATE CONSTRAINT bomay_scenario_id IF NOT EXISTS "
                            "FOR (s:Scenario) REQUIRE s.id IS UNIQUE")
    for label in LABELS.values():
        key = "id" if label in _ID_LABELS else "seq"
        q[f"schema:{label}:key"] = (
            f"CREATE CONSTRAINT bomay_{label.lower()}_gen_{key} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE (n.gen, n.{key}) IS UNIQUE")
        q[f"schema:{label}:gen"] = (f"CREATE INDEX bomay_{label.lower()}_gen IF NOT EXISTS "
                                    f"FOR (n:{label}) ON (n.gen)")
    for label, prop in (("Function", "unit_id"), ("Headcount", "unit_id"), ("Post", "unit_id"),
                        ("Post", "person_id")):
        q[f"schema:{label}:{prop}"] = (
            f"CREATE INDEX bomay_{label.lower()}_gen_{prop} IF NOT EXISTS "
            f"FOR (n:{label}) ON (n.gen, n.{prop})")
    # -- meta and generations ---------------------------------------------------------------
    q["meta"] = ("OPTIONAL MATCH (m:Meta {key: 'current'}) "
                 "RETURN m.gen AS gen, m.revision AS revision")
    q["lock_meta"] = ("MERGE (m:Meta {key: 'current'}) ON CREATE SET m.revision = 'empty' "
                      "SET m.lock = $gen RETURN m.gen AS gen, m.revision AS revision")
    q["swap_meta"] = ("MATCH (m:Meta {key: 'current'}) "
                      "SET m.gen = $gen, m.revision = $revision, m.updated = $updated, "
                      "m.schema = $schema REMOVE m.lock")
    for label in LABELS.values():
        q[f"create:{label}"] = f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"
        q[f"count:{label}"] = f"MATCH (n:{label} {{gen: $gen}}) RETURN count(n) AS n"
        q[f"purge:{label}"] = (f"MATCH (n:{label} {{gen: $gen}}) WITH n LIMIT $limit "
                               f"DETACH DELETE n RETURN count(*) AS deleted")
        q[f"gc:{label}"] = (f"MATCH (n:{label}) WHERE n.gen IS NULL OR n.gen <> $gen "
                            f"WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted")
        q[f"wipe:{label}"] = (f"MATCH (n:{label}) WITH n LIMIT $limit "
                              f"DETACH DELETE n RETURN count(*) AS deleted")
    for rel_type in REL_TYPES:
        q[f"relate:{rel_type}"] = (
            "UNWIND $rows AS row "
            "MATCH (s:Unit {gen: $gen, id: row.source_id}) "
            "MATCH (t:Unit {gen: $gen, id: row.target_id}) "
            f"CREATE (s)-[r:{rel_type}]->(t) SET r = row.props RETURN count(r) AS n")
    q["count:relations"] = (f"MATCH (:Unit {{gen: $gen}})-[r:{_REL_PATTERN}]->(:Unit) "
                            "RETURN count(r) AS n")
    for name, (a_label, a_key, rel_type, b_label, b_key) in LINKS.items():
        q[f"link:{name}"] = (
            "UNWIND $rows AS row "
            f"MATCH (a:{a_label} {{gen: $gen, {a_key}: row.a}}) "
            f"MATCH (b:{b_label} {{gen: $gen, {b_key}: row.b}}) "
            f"CREATE (a)-[:{rel_type}]->(b)")
    q["wipe:meta"] = "MATCH (n) WHERE n:Meta OR n:Scenario DETACH DELETE n"
    # -- reads ------------------------------------------------------------------------------
    unit = _projection("u", "units")
    q["unit"] = _CURRENT + f"MATCH (u:Unit {{gen: m.gen, id: $id}}) RETURN {unit} AS p"
    q["units_by_ids"] = (_CURRENT + "MATCH (u:Unit {gen: m.gen}) WHERE u.id IN $ids "
                         f"RETURN {unit} AS p")
    q["units"] = (_CURRENT + "MATCH (u:Unit {gen: m.gen}) "
                  "WHERE ($kind IS NULL OR u.kind = $kind) "
                  "AND ($level IS NULL OR u.level = $level) "
                  f"AND ($area IS NULL OR u.area = $area) AND {_asof('u')} RETURN {unit} AS p")
    q["any_unit"] = _CURRENT + "MATCH (u:Unit {gen: m.gen}) RETURN u.id AS id LIMIT 1"
    q["search"] = (
        _CURRENT + "MATCH (u:Unit {gen: m.gen}) "
        "WHERE (u.abbr_key = $abbr OR (all(t IN $exact WHERE t IN u.words) AND "
        "($last IN u.words OR ($prefix AND any(w IN u.words WHERE w STARTS WITH $last))))) "
        f"AND {_asof('u')} RETURN {unit} AS p")
    q["parents"] = (_CURRENT + "MATCH (s:Unit {gen: m.gen, id: $id})-[r:PART_OF]->(t:Unit) "
                    f"WHERE {_asof('r')} RETURN t.id AS target_id, r.valid_to AS valid_to, "
                    "r.seq AS seq")
    q["children"] = (_CURRENT + "MATCH (s:Unit)-[r:PART_OF]->(t:Unit {gen: m.gen, id: $id}) "
                     f"WHERE {_asof('r')} RETURN DISTINCT s.id AS id")
    rel_filter = f"WHERE ($types IS NULL OR type(r) IN $types) AND {_asof('r')} "
    q["relations_out"] = (_CURRENT + f"MATCH (s:Unit {{gen: m.gen, id: $id}})-[r:{_REL_PATTERN}]"
                          "->(t:Unit) " + rel_filter + _REL_RETURN)
    q["relations_in"] = (_CURRENT + f"MATCH (s:Unit)-[r:{_REL_PATTERN}]->"
                         "(t:Unit {gen: m.gen, id: $id}) " + rel_filter + _REL_RETURN)
    q["relations_all"] = (_CURRENT + f"MATCH (s:Unit {{gen: m.gen}})-[r:{_REL_PATTERN}]->(t:Unit) "
                          + rel_filter + _REL_RETURN)
    q["relations_gen"] = (f"MATCH (s:Unit {{gen: $gen}})-[r:{_REL_PATTERN}]->(t:Unit) "
                          + _REL_RETURN)
    event = _projection("e", "events")
    q["event"] = _CURRENT + f"MATCH (e:Event {{gen: m.gen, id: $id}}) RETURN {event} AS p"
    q["events"] = (_CURRENT + "MATCH (e:Event {gen: m.gen}) "
                   "WHERE ($unit IS NULL OR $unit IN e.inputs OR $unit IN e.outputs) "
                   "AND ($event_type IS NULL OR e.type = $event_type) "
                   "AND ($basis IS NULL OR $basis IN e.basis) "
                   "AND ($date_from IS NULL OR e.date_day >= $date_from) "
                   "AND ($date_to IS NULL OR e.date_day <= $date_to) "
                   f"RETURN {event} AS p")
    q["functions"] = (_CURRENT + "MATCH (f:Function {gen: m.gen}) "
                      f"WHERE ($unit IS NULL OR f.unit_id = $unit) AND {_asof('f')} "
                      f"RETURN {_projection('f', 'functions')} AS p")
    q["headcounts"] = (_CURRENT + "MATCH (h:Headcount {gen: m.gen}) "
                       "WHERE ($unit IS NULL OR h.unit_id = $unit) "
                       f"RETURN {_projection('h', 'headcounts')} AS p")
    q["posts"] = (_CURRENT + "MATCH (p:Post {gen: m.gen}) "
                  "WHERE ($unit IS NULL OR p.unit_id = $unit) "
                  f"AND ($person IS NULL OR p.person_id = $person) AND {_asof('p')} "
                  f"RETURN {_projection('p', 'posts')} AS p")
    q["person"] = (_CURRENT + "MATCH (p:Person {gen: m.gen, id: $id}) "
                   f"RETURN {_projection('p', 'people')} AS p")
    q["people"] = (_CURRENT + "MATCH (p:Person {gen: m.gen}) "
                   f"RETURN {_projection('p', 'people')} AS p")
    q["document"] = (_CURRENT + "MATCH (d:Document {gen: m.gen, id: $id}) "
                     f"RETURN {_projection('d', 'documents')} AS p")
    q["documents"] = (_CURRENT + "MATCH (d:Document {gen: m.gen}) "
                      f"RETURN {_projection('d', 'documents')} AS p")
    for table, label in LABELS.items():
        q[f"all:{label}"] = f"MATCH (n:{label} {{gen: $gen}}) RETURN {_projection('n', table)} AS p"
    # -- scenarios --------------------------------------------------------------------------
    q["scenario_save"] = "MERGE (s:Scenario {id: $id}) SET s.body = $body"
    # Taking the node's write lock first makes read-compare-write one step (version CAS).
    q["scenario_lock"] = ("MERGE (s:Scenario {id: $id}) SET s.locked = true "
                          "RETURN s.body AS body")
    q["scenario_unlock"] = "MATCH (s:Scenario {id: $id}) REMOVE s.locked"
    q["scenario_get"] = "MATCH (s:Scenario {id: $id}) RETURN s.body AS body"
    q["scenario_list"] = "MATCH (s:Scenario) RETURN s.id AS id, s.body AS body"
    q["scenario_delete"] = "MATCH (s:Scenario {id: $id}) DELETE s RETURN count(*) AS n"
    return q


#: Every Cypher text this module ever sends, by name. Nothing else is ever sent.
QUERIES: dict[str, str] = _build_queries()
_SCHEMA_VERSION = "1"


# -- records <-> properties -----------------------------------------------------------------
def _props(table: str, record: Any, seq: int, gen: str) -> dict[str, Any]:
    """The node (or relationship) properties of one record."""
    props: dict[str, Any] = {"gen": gen, "seq": seq}
    for column in TABLES[table][1]:
        value = getattr(record, column)
        if column in _DATE_FIELDS:
            props[column] = str(value) if value is not None else None
            props[f"{column}_day"] = value.first_day() if value is not None else None
            if table == "headcounts":
                props["date_prec"] = (value.month is not None) + (value.day is not None)
        elif isinstance(value, tuple):
            props[column] = list(value) or None  # no empty lists stored: they have no type
        else:
            props[column] = value
    if table == "units":
        props["name_folded"] = fold(record.name)
        props["name_en_folded"] = fold(record.name_en)
        props["abbr_key"] = fold(record.abbr).replace(" ", "") if record.abbr else None
        props["words"] = sorted(set(words(record.name) + words(record.name_en)
                                    + words(record.id))) or None
    return props


def _date(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _decoder(table: str) -> Callable[[Mapping[str, Any]], Any]:
    cls, columns = TABLES[table]
    conv: list[tuple[str, Callable[[Any], Any]]] = []
    for c in columns:
        if c in _DATE_FIELDS:
            conv.append((c, _date))
        elif table == "events" and c in _EVENT_LISTS:
            conv.append((c, lambda v: tuple(v or ())))
        elif c == "headcount":
            conv.append((c, int))
        else:
            conv.append((c, lambda v: v if v is not None else ""))

    def decode(p: Mapping[str, Any]) -> Any:
        return cls(**{c: f(p.get(c)) for c, f in conv})
    return decode


_DECODE = {table: _decoder(table) for table in TABLES}


def _relation(row: Mapping[str, Any]) -> Relation:
    return Relation(source_id=row["source_id"], type=row["type"], target_id=row["target_id"],
                    valid_from=_date(row.get("valid_from")), valid_to=_date(row.get("valid_to")),
                    note=row.get("note") or "", source=row.get("source") or "")


def _chunks(items: Sequence[Any], size: int) -> Iterator[tuple[int, Sequence[Any]]]:
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def _driver_errors() -> tuple[type[BaseException], ...]:
    try:
        from neo4j.exceptions import DriverError, Neo4jError
    except ImportError:  # pragma: no cover - the driver is a dependency
        return ()
    return (Neo4jError, DriverError)


_DRIVER_ERRORS = _driver_errors()


def describe(exc: BaseException) -> str:
    """A driver error as one line a person can act on (the driver's texts span lines)."""
    name = type(exc).__name__
    if name in ("AuthError", "Unauthorized", "TokenExpired"):
        return "authentication failed: check NEO4J_USER and NEO4J_PASSWORD"
    text = " ".join(str(exc).split())
    if name in ("ServiceUnavailable", "SessionExpired") or "Connection refused" in text:
        reason = text.rsplit("(reason ", 1)[-1].rstrip(")") if "(reason " in text else text
        return f"the server does not answer ({reason})"
    return text[:300] or name


class Neo4jStore:
    """`graph.store.GraphStore` on a Neo4j database, through the official `neo4j` driver."""

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, *,
                 driver: Any = None):
        self.uri = uri
        self.location = uri
        self.database = database or None
        self._lock = threading.Lock()
        self._own_driver = driver is None
        try:
            if driver is None:
                from neo4j import GraphDatabase
                driver = GraphDatabase.driver(uri, auth=(user, password))
            self._driver = driver
            self._ensure_schema()
        except _DRIVER_ERRORS as exc:
            if self._own_driver and driver is not None:
                driver.close()
            raise StoreError(f"cannot open the Neo4j store at {uri}: {describe(exc)}") from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Neo4jStore":
        """A store from NEO4J_URI, NEO4J_USER (default `neo4j`), NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ if environ is None else environ
        uri = env.get("NEO4J_URI")
        if not uri:
            raise StoreError("NEO4J_URI is not set: start Neo4j with `docker compose up -d neo4j` "
                             "and set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD")
        return cls(uri, env.get("NEO4J_USER") or "neo4j", env.get("NEO4J_PASSWORD") or "",
                   env.get("NEO4J_DATABASE") or None)

    # -- plumbing ---------------------------------------------------------------------------
    def _session(self) -> Any:
        return self._driver.session(database=self.database)

    def _read(self, work: Callable[[Any], Any]) -> Any:
        try:
            with self._session() as session:
                return session.execute_read(work)
        except _DRIVER_ERRORS as exc:
            raise StoreError(f"reading the Neo4j store at {self.uri} failed: {describe(exc)}") from None

    def _write(self, work: Callable[[Any], Any]) -> Any:
        with self._session() as session:
            return session.execute_write(work)

    def _query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run one named read query in its own read transaction."""
        return self._read(lambda tx: _run(tx, name, params))

    def _ensure_schema(self) -> None:
        with self._session() as session:
            for name, text in QUERIES.items():
                if name.startswith("schema:"):
                    session.run(text).consume()

    # -- identity ---------------------------------------------------------------------------
    def _meta(self) -> tuple[str | None, str]:
        rows = self._query("meta")
        row = rows[0] if rows else {}
        return row.get("gen"), row.get("revision") or "empty"

    @property
    def revision(self) -> str:
        return self._meta()[1]

    def is_empty(self) -> bool:
        return not self._query("any_unit")

    # -- units ------------------------------------------------------------------------------
    def get_unit(self, unit_id: str) -> Unit | None:
        rows = self._query("unit", id=unit_id)
        return _DECODE["units"](rows[0]["p"]) if rows else None

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        ids = list(dict.fromkeys(unit_ids))
        if not ids:
            return {}
        rows = self._query("units_by_ids", ids=ids)
        found = {u.id: u for u in (_DECODE["units"](r["p"]) for r in rows)}
        return {i: found[i] for i in ids if i in found}

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]:
        rows = self._query("units", at=at, kind=kind, level=level, area=area)
        return sorted((_DECODE["units"](r["p"]) for r in rows), key=lambda u: u.id)

    # -- structure --------------------------------------------------------------------------
    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        rows = sorted(self._query("parents", id=unit_id, at=at), key=lambda r: r["seq"])
        if not rows:
            return None
        if at is not None:
            return rows[0]["target_id"]
        # The most recent parent, chosen exactly as MemoryGraph does over its edge order
        # (edges grouped by target in order of first appearance).
        first = {}
        for r in rows:
            first.setdefault(r["target_id"], r["seq"])
        rows.sort(key=lambda r: (first[r["target_id"]], r["seq"]))
        best = None
        for r in rows:
            end = _date(r.get("valid_to"))
            if best is None or (end is None or (best[1] is not None and end > best[1])):
                best = (r["target_id"], end)
        return best[0] if best else None

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        return sorted({r["id"] for r in self._query("children", id=unit_id, at=at)})

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        wanted = sorted(set(types)) if types is not None else None
        names = {"out": ("relations_out",), "in": ("relations_in",),
                 "both": ("relations_out", "relations_in")}.get(direction, ())

        def work(tx: Any) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            for name in names:
                rows += sorted(_run(tx, name, {"id": unit_id, "at": at, "types": wanted}),
                               key=lambda r: r["seq"])
            return rows
        out = [_relation(r) for r in self._read(work)]
        out.sort(key=relation_order_key)
        return out

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]:
        wanted = sorted(set(types)) if types is not None else None
        rows = self._query("relations_all", at=at, types=wanted)
        return [_relation(r) for r in sorted(rows, key=lambda r: r["seq"])]

    # -- events, facts ----------------------------------------------------------------------
    def get_event(self, event_id: str) -> Event | None:
        rows = self._query("event", id=event_id)
        return _DECODE["events"](rows[0]["p"]) if rows else None

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        rows = self._query("events", unit=unit_id, event_type=type, basis=basis,
                           date_from=date_from, date_to=date_to)
        return _ordered("events", rows)

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]:
        return _ordered("functions", self._query("functions", unit=unit_id, at=at))

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        out = _ordered("headcounts", self._query("headcounts", unit=unit_id))
        out.sort(key=lambda h: (h.date, h.unit_id))
        return out

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]:
        return _ordered("posts", self._query("posts", unit=unit_id, person=person_id, at=at))

    def get_person(self, person_id: str) -> Person | None:
        rows = self._query("person", id=person_id)
        return _DECODE["people"](rows[0]["p"]) if rows else None

    def people(self) -> list[Person]:
        return sorted((_DECODE["people"](r["p"]) for r in self._query("people")),
                      key=lambda p: p.id)

    def get_document(self, document_id: str) -> Document | None:
        rows = self._query("document", id=document_id)
        return _DECODE["documents"](rows[0]["p"]) if rows else None

    def documents(self) -> list[Document]:
        return sorted((_DECODE["documents"](r["p"]) for r in self._query("documents")),
                      key=lambda d: d.id)

    # -- search -----------------------------------------------------------------------------
    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        """Neo4j narrows the candidates with the stored folded words; `graph.queries.search.SearchIndex`
        ranks them, so the scores and order are exactly those of the embedded backend."""
        terms = words(text)
        if not terms or limit <= 0:
            return []
        query = fold(text).strip()
        rows = self._query("search", at=at, abbr=query.replace(" ", ""), exact=terms[:-1],
                           last=terms[-1], prefix=len(terms[-1]) >= 2)
        candidates = {u.id: u for u in (_DECODE["units"](r["p"]) for r in rows)}
        ranked = SearchIndex(candidates.values()).search(text)
        return [(candidates[uid], score) for uid, score in ranked[:limit]]

    # -- whole dataset ----------------------------------------------------------------------
    def dataset(self) -> Dataset:
        for _ in range(5):
            gen, _revision = self._meta()
            if gen is None:
                return Dataset()

            def work(tx: Any) -> dict[str, Any]:
                parts = {table: tuple(_ordered(table, _run(tx, f"all:{label}", {"gen": gen})))
                         for table, label in LABELS.items()}
                rels = sorted(_run(tx, "relations_gen", {"gen": gen}), key=lambda r: r["seq"])
                parts["relations"] = tuple(_relation(r) for r in rels)
                return parts
            parts = self._read(work)
            if self._meta()[0] == gen:  # no swap happened while reading
                return Dataset(**parts)
        raise StoreError("the Neo4j store kept changing while it was being read; try again")

    # -- writes -----------------------------------------------------------------------------
    def replace_dataset(self, dataset: Dataset, *, expected_revision: str | None = None) -> str:
        _check_references(dataset)
        revision = secrets.token_hex(6)
        gen = revision
        with self._lock:
            try:
                if expected_revision is not None:
                    current = self._meta()[1]
                    if current != expected_revision:
                        raise Conflict(f"the baseline changed since revision {expected_revision} "
                                       f"(now {current})")
                try:
                    self._write_generation(dataset, gen)
                    self._swap(dataset, gen, revision, expected_revision)
                except BaseException:
                    self._purge(gen)
                    raise
                self._collect_garbage(gen)
            except _DRIVER_ERRORS as exc:
                raise StoreError(f"writing the Neo4j store at {self.uri} failed: {describe(exc)}") from None
        return revision

    def _write_generation(self, dataset: Dataset, gen: str) -> None:
        size = max(1, BATCH_SIZE)
        for table, label in LABELS.items():
            records = getattr(dataset, table)
            for start, chunk in _chunks(records, size):
                rows = [_props(table, r, start + i, gen) for i, r in enumerate(chunk)]
                self._write(lambda tx, rows=rows: _run(tx, f"create:{label}", {"rows": rows}))
        by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in REL_TYPES}
        for seq, rel in enumerate(dataset.relations):
            props = _props("relations", rel, seq, gen)
            for k in ("gen", "source_id", "target_id", "type"):
                props.pop(k)
            by_type[rel.type].append({"source_id": rel.source_id, "target_id": rel.target_id,
                                      "props": props})
        for rel_type, rows in by_type.items():
            for _, chunk in _chunks(rows, size):
                def create(tx: Any, chunk: Sequence[dict[str, Any]] = chunk) -> None:
                    done = _run(tx, f"relate:{rel_type}", {"rows": list(chunk), "gen": gen})
                    if (done[0]["n"] if done else 0) != len(chunk):
                        raise StoreError(f"{rel_type} relations refer to units that were not "
                                         "written; nothing was changed")
                self._write(create)
        for name, rows in _links(dataset).items():
            for _, chunk in _chunks(rows, size):
                self._write(lambda tx, name=name, chunk=chunk:
                            _run(tx, f"link:{name}", {"rows": list(chunk), "gen": gen}))

    def _swap(self, dataset: Dataset, gen: str, revision: str,
              expected_revision: str | None) -> None:
        def work(tx: Any) -> None:
            current = _run(tx, "lock_meta", {"gen": gen})[0].get("revision") or "empty"
            if expected_revision is not None and current != expected_revision:
                raise Conflict(f"the baseline changed since revision {expected_revision} "
                               f"(now {current})")
            for table, label in LABELS.items():
                found = _run(tx, f"count:{label}", {"gen": gen})[0]["n"]
                if found != len(getattr(dataset, table)):
                    raise StoreError(f"the new generation lost {label} nodes while it was "
                                     f"written ({found} of {len(getattr(dataset, table))}); "
                                     "nothing was changed")
            found = _run(tx, "count:relations", {"gen": gen})[0]["n"]
            if found != len(dataset.relations):
                raise StoreError("the new generation lost relations while it was written; "
                                 "nothing was changed")
            _run(tx, "swap_meta", {"gen": gen, "revision": revision, "schema": _SCHEMA_VERSION,
                                   "updated": dt.datetime.now(dt.timezone.utc).isoformat()})
        self._write(work)

    def _delete_loop(self, name: str, params: dict[str, Any]) -> None:
        while True:
            rows = self._write(lambda tx: _run(tx, name, {**params, "limit": DELETE_BATCH}))
            if not rows or not rows[0]["deleted"]:
                return

    def _purge(self, gen: str) -> None:
        """Best effort: delete a generation that never became current."""
        try:
            for label in LABELS.values():
                self._delete_loop(f"purge:{label}", {"gen": gen})
        except Exception:  # noqa: BLE001 - the next successful write collects it
            pass

    def _collect_garbage(self, gen: str) -> None:
        """Delete every generation but `gen` (old data, and leftovers of failed writes)."""
        try:
            for label in LABELS.values():
                self._delete_loop(f"gc:{label}", {"gen": gen})
        except _DRIVER_ERRORS:  # harmless: reads only see the current generation
            pass

    def wipe(self) -> None:
        """Delete everything this store keeps (every generation, the pointer, the scenarios).

        For tests and resets; it empties the bomay data of the whole database."""
        with self._lock:
            for label in LABELS.values():
                self._delete_loop(f"wipe:{label}", {})
            self._write(lambda tx: _run(tx, "wipe:meta", {}))

    # -- scenarios --------------------------------------------------------------------------
    def save_scenario(self, scenario: StoredScenario, *,
                      expected_version: int | None = None) -> StoredScenario:
        def work(tx: Any) -> StoredScenario:
            rows = _run(tx, "scenario_lock", {"id": scenario.id})
            body = rows[0]["body"] if rows else None
            stored = StoredScenario.from_json(body) if body else None
            version = check_scenario_version(scenario.id, stored, expected_version)
            saved = dataclasses.replace(scenario, version=version + 1)
            _run(tx, "scenario_save", {"id": saved.id, "body": saved.to_json().decode()})
            _run(tx, "scenario_unlock", {"id": saved.id})
            return saved
        try:
            return self._write(work)
        except _DRIVER_ERRORS as exc:
            raise StoreError(f"saving a scenario in the Neo4j store failed: {describe(exc)}") from None

    def get_scenario(self, scenario_id: str) -> StoredScenario | None:
        rows = self._query("scenario_get", id=scenario_id)
        body = rows[0]["body"] if rows else None
        return StoredScenario.from_json(body) if body else None

    def list_scenarios(self) -> list[StoredScenario]:
        rows = sorted(self._query("scenario_list"), key=lambda r: r["id"])
        return [StoredScenario.from_json(r["body"]) for r in rows if r["body"]]

    def delete_scenario(self, scenario_id: str, *, expected_version: int | None = None) -> bool:
        def work(tx: Any) -> bool:
            rows = _run(tx, "scenario_lock", {"id": scenario_id})
            body = rows[0]["body"] if rows else None
            stored = StoredScenario.from_json(body) if body else None
            if stored is not None or expected_version is not None:
                check_scenario_version(scenario_id, stored, expected_version)
            _run(tx, "scenario_delete", {"id": scenario_id})  # also the lock's placeholder
            return stored is not None
        try:
            return self._write(work)
        except _DRIVER_ERRORS as exc:
            raise StoreError(f"deleting a scenario in the Neo4j store failed: {describe(exc)}") from None

    def close(self) -> None:
        if self._own_driver:
            self._driver.close()


def from_env(environ: Mapping[str, str] | None = None) -> Neo4jStore:
    """`Neo4jStore.from_env`: a store configured by NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD."""
    return Neo4jStore.from_env(environ)


def _run(tx: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the named constant query with its parameters; the only place a query is sent."""
    return tx.run(QUERIES[name], params).data()


def _ordered(table: str, rows: list[dict[str, Any]]) -> list[Any]:
    """Decode rows in dataset order (their `seq`)."""
    decode = _DECODE[table]
    return [decode(r["p"]) for r in sorted(rows, key=lambda r: r["p"]["seq"])]


def _check_references(dataset: Dataset) -> None:
    unit_ids = {u.id for u in dataset.units}
    for rel in dataset.relations:
        if rel.type not in REL_TYPES:
            raise StoreError(f"unknown relation type {rel.type!r}; expected one of "
                             + ", ".join(REL_TYPES))
        for end in (rel.source_id, rel.target_id):
            if end not in unit_ids:
                raise StoreError(f"a {rel.type} relation refers to the unknown unit {end!r}")


def _links(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Rows for the navigation links: {'a': from key, 'b': to key}."""
    links: dict[str, list[dict[str, Any]]] = {name: [] for name in LINKS}
    for u in dataset.units:
        if u.area:
            links["IN_AREA"].append({"a": u.id, "b": u.area})
    for e in dataset.events:
        links["INPUT"] += [{"a": e.id, "b": uid} for uid in dict.fromkeys(e.inputs)]
        links["OUTPUT"] += [{"a": e.id, "b": uid} for uid in dict.fromkeys(e.outputs)]
        links["BASED_ON"] += [{"a": e.id, "b": doc} for doc in dict.fromkeys(e.basis)]
    for seq, f in enumerate(dataset.functions):
        links["HAS_FUNCTION"].append({"a": f.unit_id, "b": seq})
    for seq, h in enumerate(dataset.headcounts):
        links["HAS_HEADCOUNT"].append({"a": h.unit_id, "b": seq})
    for seq, p in enumerate(dataset.posts):
        links["HOLDS"].append({"a": p.person_id, "b": seq})
        links["AT"].append({"a": seq, "b": p.unit_id})
    return links
