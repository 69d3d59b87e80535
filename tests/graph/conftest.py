"""Backends for the store contract suite, and a fake Neo4j server for the Neo4j backend.

`store_backend` yields a `Backend` (open / reopen / make a write fail midway) for:
- `embedded`: always;
- `neo4j`: a real server, only when NEO4J_URI is set (the database is wiped first!);
- `neo4j-fake`: `Neo4jStore` over `FakeNeo4j`, an in-process simulation of the driver.

`FakeNeo4j` knows every query text of `graph.neo4j.store.QUERIES` by name and implements
each in Python over dicts; it refuses any other text, checks that every `$parameter` a
query names is supplied and that every value is one Bolt can carry and every property one
Neo4j can store, keeps committed state apart from a transaction's work (a failing
transaction changes nothing), and records every (query, parameters) it receives. It
checks the Python side of the backend (rows, decoding, orders, transactions, generations),
not the Cypher semantics, which only a real server can.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

NEO4J_SKIP = ("NEO4J_URI not set: start Neo4j with `docker compose up -d neo4j` and set "
              "NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD")


# -- the fake server ----------------------------------------------------------------------------
class FakeDown(Exception):
    """Raised by a fake server that was told to fail (a lost connection, a killed process)."""


def _fake_errors():
    from neo4j.exceptions import ConstraintError, ServiceUnavailable
    return ConstraintError, ServiceUnavailable


def _check_param(value: Any, where: str) -> None:
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return
    if isinstance(value, list):
        for v in value:
            _check_param(v, where)
        return
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str), f"{where}: map key {k!r} is not a string"
            _check_param(v, where)
        return
    raise TypeError(f"{where}: {type(value).__name__} cannot be sent as a Bolt parameter")


def _check_property(key: str, value: Any) -> None:
    """What Neo4j can store as a property: a primitive or a homogeneous list of primitives."""
    if isinstance(value, list):
        assert value, f"property {key}: the store writes no empty list (it would have no type)"
        assert all(v is not None and not isinstance(v, (list, dict)) for v in value), \
            f"property {key}: lists hold primitives only"
        assert len({type(v) for v in value}) <= 1, f"property {key}: a list must be homogeneous"
        return
    assert not isinstance(value, dict), f"property {key}: a map cannot be stored as a property"


class _Result:
    def __init__(self, rows: list[dict[str, Any]]):
        self._rows = rows

    def data(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows]

    def consume(self) -> None:
        return None


class _Tx:
    def __init__(self, server: "FakeNeo4j", state: dict[str, Any], write: bool):
        self.server, self.state, self.write = server, state, write

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kw: Any) -> _Result:
        params = {**(parameters or {}), **kw}
        return _Result(self.server.execute(self.state, query, params, write=self.write))


class _Session:
    def __init__(self, server: "FakeNeo4j", database: str | None):
        self.server, self.database = server, database

    def __enter__(self) -> "_Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def _transaction(self, work: Callable[..., Any], write: bool, *args: Any, **kw: Any) -> Any:
        work_state = copy.deepcopy(self.server.state)
        result = work(_Tx(self.server, work_state, write), *args, **kw)
        if write:
            self.server.state = work_state  # commit
        return result

    def execute_read(self, work: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return self._transaction(work, False, *args, **kw)

    def execute_write(self, work: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return self._transaction(work, True, *args, **kw)

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kw: Any) -> _Result:
        """An auto-commit transaction."""
        return self._transaction(lambda tx: tx.run(query, parameters, **kw), True)


class _Driver:
    def __init__(self, server: "FakeNeo4j"):
        self.server = server
        self.closed = False

    def session(self, database: str | None = None, **config: Any) -> _Session:
        assert not self.closed, "session on a closed driver"
        return _Session(self.server, database)

    def close(self) -> None:
        self.closed = True


class FakeNeo4j:
    """An in-process stand-in for a Neo4j server speaking `graph.neo4j.store.QUERIES`."""

    def __init__(self) -> None:
        from graph.neo4j import store as neo4j_store
        self.ns = neo4j_store
        self.names = {text: name for name, text in neo4j_store.QUERIES.items()}
        self.state: dict[str, Any] = {"nodes": {}, "rels": [], "next": 0}
        self.log: list[tuple[str, dict[str, Any]]] = []
        self.fail: Callable[[str], bool] | None = None  # name -> raise?
        self.down = False

    def driver(self) -> _Driver:
        return _Driver(self)

    # -- dispatch ---------------------------------------------------------------------------
    def execute(self, state: dict[str, Any], query: str, params: dict[str, Any], *,
                write: bool) -> list[dict[str, Any]]:
        self.log.append((query, copy.deepcopy(params)))
        if self.down:
            raise _fake_errors()[1]("the fake server is down")
        name = self.names.get(query)
        assert name is not None, f"a query that is not in QUERIES was sent: {query!r}"
        for needed in set(re.findall(r"\$(\w+)", query)):
            assert needed in params, f"{name}: parameter ${needed} is missing"
        for key, value in params.items():
            _check_param(value, f"{name} ${key}")
        if self.fail is not None and self.fail(name):
            self.down = True
            raise _fake_errors()[1](f"the fake server failed on {name}")
        kind, _, arg = name.partition(":")
        if kind in ("create", "purge", "gc", "wipe", "relate", "link", "swap_meta", "lock_meta",
                    "scenario_save", "scenario_delete") or name.startswith("schema"):
            assert write, f"{name} writes, but runs in a read transaction"
        handler = getattr(self, "q_" + kind.replace("-", "_"))
        rows = handler(state, arg, params)
        # rows carry exactly the columns the query's RETURN names, as a server's would
        returned = query.rsplit("RETURN", 1)[1] if "RETURN" in query else ""
        columns = set(re.findall(r" AS (\w+)", returned))
        for row in rows:
            assert set(row) == columns, \
                f"{name}: the fake returned {sorted(row)}, the query names {sorted(columns)}"
        return rows

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _nodes(state, label, **match) -> list[dict[str, Any]]:
        return [n for n in state["nodes"].values() if n["label"] == label
                and all(n["props"].get(k) == v for k, v in match.items())]

    def _current(self, state) -> str | None:
        metas = self._nodes(state, "Meta", key="current")
        return metas[0]["props"].get("gen") if metas else None

    @staticmethod
    def _asof(props, at) -> bool:
        if at is None:
            return True
        start, end = props.get("valid_from_day"), props.get("valid_to_day")
        return (start is None or start <= at) and (end is None or at < end)

    def _proj(self, node, table) -> dict[str, Any]:
        from graph.codec import TABLES
        return {c: node["props"].get(c) for c in TABLES[table][1] + ("seq",)}

    def _new_node(self, state, label, props) -> None:
        stored = {k: copy.deepcopy(v) for k, v in props.items() if v is not None}
        for k, v in stored.items():
            _check_property(k, v)
        ConstraintError = _fake_errors()[0]
        if label in self.ns._ID_LABELS or label in self.ns.LABELS.values():
            key = "id" if label in self.ns._ID_LABELS else "seq"
            if "gen" in stored and key in stored and self._nodes(
                    state, label, gen=stored["gen"], **{key: stored[key]}):
                raise ConstraintError(f"duplicate {label} ({stored['gen']}, {stored[key]})")
        nid = state["next"]
        state["next"] += 1
        state["nodes"][nid] = {"nid": nid, "label": label, "props": stored}

    def _delete(self, state, nodes, limit=None) -> int:
        nodes = nodes[:limit] if limit is not None else nodes
        gone = {n["nid"] for n in nodes}
        for nid in gone:
            del state["nodes"][nid]
        state["rels"] = [r for r in state["rels"] if r["a"] not in gone and r["b"] not in gone]
        return len(gone)

    def _rels(self, state, types, gen=None) -> list[tuple[dict, dict, dict]]:
        out = []
        for r in state["rels"]:
            if r["type"] not in types:
                continue
            a, b = state["nodes"][r["a"]], state["nodes"][r["b"]]
            if a["label"] != "Unit" or b["label"] != "Unit":
                continue
            if gen is not None and a["props"].get("gen") != gen:
                continue
            out.append((a, r, b))
        return out

    @staticmethod
    def _rel_row(a, r, b) -> dict[str, Any]:
        p = r["props"]
        return {"source_id": a["props"]["id"], "type": r["type"], "target_id": b["props"]["id"],
                "valid_from": p.get("valid_from"), "valid_to": p.get("valid_to"),
                "note": p.get("note"), "source": p.get("source"), "seq": p.get("seq")}

    # -- schema, meta, writes ---------------------------------------------------------------
    def q_schema(self, state, arg, params):
        state.setdefault("schema", set()).add(arg)
        return []

    def q_meta(self, state, arg, params):
        metas = self._nodes(state, "Meta", key="current")
        p = metas[0]["props"] if metas else {}
        return [{"gen": p.get("gen"), "revision": p.get("revision")}]

    def q_lock_meta(self, state, arg, params):
        if not self._nodes(state, "Meta", key="current"):
            self._new_node(state, "Meta", {"key": "current", "revision": "empty"})
        meta = self._nodes(state, "Meta", key="current")[0]["props"]
        meta["lock"] = params["gen"]
        return [{"gen": meta.get("gen"), "revision": meta.get("revision")}]

    def q_swap_meta(self, state, arg, params):
        meta = self._nodes(state, "Meta", key="current")[0]["props"]
        meta.update(gen=params["gen"], revision=params["revision"], updated=params["updated"],
                    schema=params["schema"])
        meta.pop("lock", None)
        return []

    def q_create(self, state, label, params):
        for row in params["rows"]:
            self._new_node(state, label, row)
        return []

    def q_count(self, state, arg, params):
        if arg == "relations":
            return [{"n": len(self._rels(state, self.ns.REL_TYPES, params["gen"]))}]
        return [{"n": len(self._nodes(state, arg, gen=params["gen"]))}]

    def q_purge(self, state, label, params):
        return [{"deleted": self._delete(state, self._nodes(state, label, gen=params["gen"]),
                                         params["limit"])}]

    def q_gc(self, state, label, params):
        old = [n for n in self._nodes(state, label) if n["props"].get("gen") != params["gen"]]
        return [{"deleted": self._delete(state, old, params["limit"])}]

    def q_wipe(self, state, arg, params):
        if arg == "meta":
            self._delete(state, self._nodes(state, "Meta") + self._nodes(state, "Scenario"))
            return []
        return [{"deleted": self._delete(state, self._nodes(state, arg), params["limit"])}]

    def q_relate(self, state, rel_type, params):
        n = 0
        for row in params["rows"]:
            for s in self._nodes(state, "Unit", gen=params["gen"], id=row["source_id"]):
                for t in self._nodes(state, "Unit", gen=params["gen"], id=row["target_id"]):
                    props = {k: v for k, v in row["props"].items() if v is not None}
                    for k, v in props.items():
                        _check_property(k, v)
                    state["rels"].append({"type": rel_type, "a": s["nid"], "b": t["nid"],
                                          "props": props})
                    n += 1
        return [{"n": n}]

    def q_link(self, state, name, params):
        a_label, a_key, rel_type, b_label, b_key = self.ns.LINKS[name]
        for row in params["rows"]:
            for a in self._nodes(state, a_label, gen=params["gen"], **{a_key: row["a"]}):
                for b in self._nodes(state, b_label, gen=params["gen"], **{b_key: row["b"]}):
                    state["rels"].append({"type": rel_type, "a": a["nid"], "b": b["nid"],
                                          "props": {}})
        return []

    # -- reads ------------------------------------------------------------------------------
    def _units(self, state):
        gen = self._current(state)
        return [] if gen is None else self._nodes(state, "Unit", gen=gen)

    def q_unit(self, state, arg, params):
        return [{"p": self._proj(u, "units")} for u in self._units(state)
                if u["props"]["id"] == params["id"]]

    def q_units_by_ids(self, state, arg, params):
        return [{"p": self._proj(u, "units")} for u in self._units(state)
                if u["props"]["id"] in params["ids"]]

    def q_units(self, state, arg, params):
        return [{"p": self._proj(u, "units")} for u in self._units(state)
                if all(params[k] is None or u["props"].get(k) == params[k]
                       for k in ("kind", "level", "area"))
                and self._asof(u["props"], params["at"])]

    def q_any_unit(self, state, arg, params):
        return [{"id": u["props"]["id"]} for u in self._units(state)][:1]

    def q_search(self, state, arg, params):
        out = []
        for u in self._units(state):
            p = u["props"]
            ws = p.get("words", [])
            hit = p.get("abbr_key") == params["abbr"] or (
                all(t in ws for t in params["exact"]) and (
                    params["last"] in ws or (params["prefix"] and
                                             any(w.startswith(params["last"]) for w in ws))))
            if hit and self._asof(p, params["at"]):
                out.append({"p": self._proj(u, "units")})
        return out

    def _unit_rels(self, state, unit_id, types, end):
        gen = self._current(state)
        if gen is None:
            return []
        return [(a, r, b) for a, r, b in self._rels(state, types, gen)
                if (a if end == "source" else b)["props"]["id"] == unit_id]

    def q_parents(self, state, arg, params):
        return [{"target_id": b["props"]["id"], "valid_to": r["props"].get("valid_to"),
                 "seq": r["props"]["seq"]}
                for a, r, b in self._unit_rels(state, params["id"], ("PART_OF",), "source")
                if self._asof(r["props"], params["at"])]

    def q_children(self, state, arg, params):
        ids = {a["props"]["id"] for a, r, b in
               self._unit_rels(state, params["id"], ("PART_OF",), "target")
               if self._asof(r["props"], params["at"])}
        return [{"id": i} for i in ids]

    def q_relations_out(self, state, arg, params, end="source"):
        types = params["types"] if params["types"] is not None else self.ns.REL_TYPES
        return [self._rel_row(a, r, b) for a, r, b in
                self._unit_rels(state, params["id"], tuple(types), end)
                if self._asof(r["props"], params["at"])]

    def q_relations_in(self, state, arg, params):
        return self.q_relations_out(state, arg, params, end="target")

    def q_relations_all(self, state, arg, params):
        gen = self._current(state)
        types = params["types"] if params["types"] is not None else self.ns.REL_TYPES
        if gen is None:
            return []
        return [self._rel_row(a, r, b) for a, r, b in self._rels(state, tuple(types), gen)
                if self._asof(r["props"], params["at"])]

    def q_relations_gen(self, state, arg, params):
        return [self._rel_row(a, r, b) for a, r, b in
                self._rels(state, self.ns.REL_TYPES, params["gen"])]

    def _current_nodes(self, state, label):
        gen = self._current(state)
        return [] if gen is None else self._nodes(state, label, gen=gen)

    def q_event(self, state, arg, params):
        return [{"p": self._proj(e, "events")} for e in self._current_nodes(state, "Event")
                if e["props"]["id"] == params["id"]]

    def q_events(self, state, arg, params):
        out = []
        for e in self._current_nodes(state, "Event"):
            p = e["props"]
            if params["unit"] is not None and \
                    params["unit"] not in p.get("inputs", []) + p.get("outputs", []):
                continue
            if params["event_type"] is not None and p["type"] != params["event_type"]:
                continue
            if params["basis"] is not None and params["basis"] not in p.get("basis", []):
                continue
            if params["date_from"] is not None and p["date_day"] < params["date_from"]:
                continue
            if params["date_to"] is not None and p["date_day"] > params["date_to"]:
                continue
            out.append({"p": self._proj(e, "events")})
        return out

    def q_functions(self, state, arg, params):
        return [{"p": self._proj(f, "functions")} for f in self._current_nodes(state, "Function")
                if (params["unit"] is None or f["props"]["unit_id"] == params["unit"])
                and self._asof(f["props"], params["at"])]

    def q_headcounts(self, state, arg, params):
        return [{"p": self._proj(h, "headcounts")} for h in self._current_nodes(state, "Headcount")
                if params["unit"] is None or h["props"]["unit_id"] == params["unit"]]

    def q_posts(self, state, arg, params):
        return [{"p": self._proj(p, "posts")} for p in self._current_nodes(state, "Post")
                if (params["unit"] is None or p["props"]["unit_id"] == params["unit"])
                and (params["person"] is None or p["props"]["person_id"] == params["person"])
                and self._asof(p["props"], params["at"])]

    def q_person(self, state, arg, params):
        return [{"p": self._proj(p, "people")} for p in self._current_nodes(state, "Person")
                if p["props"]["id"] == params["id"]]

    def q_people(self, state, arg, params):
        return [{"p": self._proj(p, "people")} for p in self._current_nodes(state, "Person")]

    def q_document(self, state, arg, params):
        return [{"p": self._proj(d, "documents")} for d in self._current_nodes(state, "Document")
                if d["props"]["id"] == params["id"]]

    def q_documents(self, state, arg, params):
        return [{"p": self._proj(d, "documents")} for d in self._current_nodes(state, "Document")]

    def q_all(self, state, label, params):
        table = {v: k for k, v in self.ns.LABELS.items()}[label]
        return [{"p": self._proj(n, table)} for n in self._nodes(state, label, gen=params["gen"])]

    # -- scenarios --------------------------------------------------------------------------
    def q_scenario_save(self, state, arg, params):
        found = self._nodes(state, "Scenario", id=params["id"])
        if found:
            found[0]["props"]["body"] = params["body"]
        else:
            self._new_node(state, "Scenario", {"id": params["id"], "body": params["body"]})
        return []

    def q_scenario_get(self, state, arg, params):
        return [{"body": s["props"]["body"]}
                for s in self._nodes(state, "Scenario", id=params["id"])]

    def q_scenario_list(self, state, arg, params):
        return [{"id": s["props"]["id"], "body": s["props"]["body"]}
                for s in self._nodes(state, "Scenario")]

    def q_scenario_delete(self, state, arg, params):
        return [{"n": self._delete(state, self._nodes(state, "Scenario", id=params["id"]))}]

    # -- inspection for tests ---------------------------------------------------------------
    def generations(self) -> set[str]:
        return {n["props"]["gen"] for n in self.state["nodes"].values() if "gen" in n["props"]}


# -- backends -------------------------------------------------------------------------------------
@dataclass
class Backend:
    """How the contract suite opens a store of one kind."""

    name: str
    open: Callable[[], Any]                       # a new store on the same durable data
    fail_writes_midway: Callable[[Any], None]     # (monkeypatch) -> the next replace fails midway
    fake: FakeNeo4j | None = None


def _fail_neo4j_after_some_writes(monkeypatch) -> None:
    """Small batches, and a row builder that raises once some batches are committed."""
    import graph.neo4j.store as ns

    monkeypatch.setattr(ns, "BATCH_SIZE", 2)
    real, calls = ns._props, {"n": 0}

    def failing(*args, **kw):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError("disk full")
        return real(*args, **kw)
    monkeypatch.setattr(ns, "_props", failing)


def _fail_embedded_after_some_writes(monkeypatch) -> None:
    import graph.embedded.store as embedded

    real, calls = embedded.row_encoder, {"n": 0}

    def failing_encoder(table):
        encode = real(table)

        def failing(record):
            calls["n"] += 1
            if calls["n"] > 4:
                raise OSError("disk full")
            return encode(record)
        return failing
    monkeypatch.setattr(embedded, "row_encoder", failing_encoder)


def _backend(kind: str, tmp_path: Path, opened: list[Any]) -> Backend:
    if kind == "embedded":
        from graph.embedded.store import EmbeddedStore

        def open_embedded():
            opened.append(EmbeddedStore(tmp_path / "contract.db"))
            return opened[-1]
        return Backend("embedded", open_embedded, _fail_embedded_after_some_writes)
    from graph.neo4j.store import Neo4jStore
    if kind == "neo4j-fake":
        fake = FakeNeo4j()

        def open_fake():
            opened.append(Neo4jStore("bolt://fake", "neo4j", "x", driver=fake.driver()))
            return opened[-1]
        return Backend("neo4j-fake", open_fake, _fail_neo4j_after_some_writes, fake)
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(NEO4J_SKIP)

    def open_real():
        opened.append(Neo4jStore.from_env())
        return opened[-1]
    open_real().wipe()
    return Backend("neo4j", open_real, _fail_neo4j_after_some_writes)


def _close_all(opened: list[Any]) -> None:
    for store in opened:
        try:
            store.close()
        except Exception:  # noqa: BLE001 - closing twice is fine
            pass


@pytest.fixture(params=["embedded", "neo4j-fake",
                        pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_backend(request, tmp_path):
    """Every backend: the contract suite runs once per backend."""
    opened: list[Any] = []
    yield _backend(request.param, tmp_path, opened)
    _close_all(opened)


@pytest.fixture
def fake_backend(tmp_path):
    """`Neo4jStore` over the fake server, for the tests of the Cypher side."""
    opened: list[Any] = []
    yield _backend("neo4j-fake", tmp_path, opened)
    _close_all(opened)


@pytest.fixture
def fake_neo4j() -> FakeNeo4j:
    return FakeNeo4j()
