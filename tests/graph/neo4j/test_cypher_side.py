"""The Neo4j side of the Neo4j backend, on a real server: the Cypher text holds no data,
writes are batched `UNWIND`s, the graph has the documented shape, and a write that fails
at any point before the pointer swap leaves the previous data in force.

Failures are injected by `QueryLog.fail` (tests/graph/conftest.py), which makes the
store's one sending function raise a driver error before a named query reaches the
server: the server itself is real and sees everything else.
"""

from __future__ import annotations

import warnings

import datetime as dt
import re
from pathlib import Path

import pytest
from neo4j.exceptions import DriverError

from graph.errors import StoreError
from graph.model import Dataset, Relation
from graph.store import StoredScenario
from loaders import read_dataset

DATA = Path(__file__).parent.parent.parent / "data"

pytestmark = pytest.mark.neo4j


class LostConnection(DriverError):
    """A connection lost mid-transaction (not retryable, so the write fails at once)."""


def load(backend, name="chain"):
    store = backend.open()
    store.replace_dataset(read_dataset(DATA / name))
    return store


def cypher(store, text, **params):
    """Ask the server directly (test inspection only; the store never runs such text)."""
    records, _, _ = store._driver.execute_query(text, params, database_=store.database)
    return [r.data() for r in records]


def generations(store) -> set[str]:
    rows = cypher(store, "MATCH (n) WHERE n.gen IS NOT NULL AND NOT n:Meta "
                         "RETURN DISTINCT n.gen AS gen")
    return {r["gen"] for r in rows}


def fail_with(log, predicate):
    def fail(name):
        if predicate(name):
            raise LostConnection(f"test: connection lost before {name}")
        return False
    log.fail = fail


EVIL = ["x'}) DETACH DELETE n //", "evil'}) DETACH DELETE n //", '"}) MATCH (n) DETACH DELETE n //',
        "`Unit` {gen: $gen} RETURN 1 //", "x' OR 1=1 //", 'b"}]->(x) SET x.id = \'pwned\' //',
        "Ban $rows", 'Board {id: "x"}', "'}) CALL db.clear() //", "ev'}) DETACH DELETE n //",
        "doc'}) DELETE n //", "p'}) DETACH DELETE n //", "Nguyễn' }) DETACH DELETE n //",
        "1'}) DELETE n //", "$issuer", "$gen", "Title\" }) DELETE n //"]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_user_data_travels_only_as_parameters(neo4j_backend, query_log):
    from graph.neo4j.store import QUERIES
    from tests.graph.conftest import raw_dataset
    dataset = raw_dataset(DATA / "c_injection")  # hostile ids too: the loader refuses those
    store = neo4j_backend.open()
    store.replace_dataset(dataset)
    assert store.dataset() == dataset  # the hostile names are stored as data, intact
    evil_unit = "evil'}) DETACH DELETE n //"
    assert store.get_unit(evil_unit).name == "x'}) DETACH DELETE n //"
    assert store.children(evil_unit, None) == []
    assert [r.source_id for r in store.relations(evil_unit, direction="in")] == [
        'b"}]->(x) SET x.id = \'pwned\' //']
    assert [e.id for e in store.events(unit_id=evil_unit)] == ["ev'}) DETACH DELETE n //"]
    assert [u.id for u, _ in store.search_units("$gen")] == [evil_unit]  # its abbreviation
    store.save_scenario(StoredScenario(id="s'}) DELETE n //", name="x' //", at="2018"))
    assert store.get_scenario("s'}) DELETE n //").name == "x' //"
    store.get_person("p'}) DETACH DELETE n //")
    store.get_document("doc'}) DELETE n //")
    store.posts(person_id="p'}) DETACH DELETE n //")
    assert store.delete_scenario("s'}) DELETE n //")
    assert len(store.units()) == len(dataset.units)  # nothing was deleted by the names

    known = set(QUERIES.values())
    sent_values = set()
    assert query_log.sent
    for query, params in query_log.sent:
        assert query in known  # only the module's constant texts are ever sent
        for value in EVIL + ["pwned", "s'}) DELETE n //", "db.clear", "1=1"]:
            if re.fullmatch(r"\$\w+", value):
                continue  # a value spelled like a parameter: indistinguishable by design
            assert value not in query, (value, query)
        sent_values.update(_strings(params))
    for value in EVIL:
        assert any(value in s for s in sent_values), value  # ... and they went as parameters


def test_writes_are_batched_unwinds_in_separate_transactions(neo4j_backend, query_log,
                                                            monkeypatch):
    import graph.neo4j.generations as ns
    monkeypatch.setattr(ns, "BATCH_SIZE", 3)
    store = neo4j_backend.open()
    query_log.sent.clear()
    store.replace_dataset(read_dataset(DATA / "c_contract"))
    names = query_log.names()
    sizes = [(n, len(p["rows"])) for n, (_, p) in zip(names, query_log.sent)
             if n.startswith("load:")]
    assert sizes == [("load:Unit", 3), ("load:Unit", 3), ("load:Unit", 2),
                     ("load:Document", 2), ("load:Person", 2), ("load:Event", 2),
                     ("load:Function", 3), ("load:Function", 2), ("load:Headcount", 3),
                     ("load:Headcount", 3), ("load:Post", 3), ("load:Post", 1),
                     ("load:relate:PART_OF", 3), ("load:relate:PART_OF", 3),
                     ("load:relate:PART_OF", 2), ("load:relate:SERVES", 2),
                     ("load:relate:GUIDED_BY", 2), ("load:link:IN_AREA", 3),
                     ("load:link:IN_AREA", 3), ("load:link:IN_AREA", 1)]
    assert all(q.startswith("UNWIND $rows AS row ") for n, (q, _) in zip(names, query_log.sent)
               if n.split(":")[0] in ("create", "relate", "link", "load"))
    # compact rows: lists, the generation once per batch
    assert all(isinstance(r, list) for n, (_, p) in zip(names, query_log.sent)
               if n.startswith("load:") for r in p["rows"])
    swap = names.index("swap_meta")
    assert not any(n.startswith(("create:", "relate:", "link:", "load:")) for n in names[swap:])
    assert store.dataset() == read_dataset(DATA / "c_contract")


def test_the_neo4j_graph_holds_units_relationships_and_links(neo4j_backend):
    store = load(neo4j_backend)
    gen = cypher(store, "MATCH (m:Meta {key: 'current'}) RETURN m.gen AS gen")[0]["gen"]
    by_label = {r["label"]: r["n"] for r in cypher(
        store, "MATCH (n {gen: $gen}) WHERE NOT n:Meta RETURN labels(n)[0] AS label, count(*) AS n", gen=gen)}
    assert by_label == {"Unit": 9, "Event": 2, "Function": 6, "Headcount": 3, "Person": 1,
                        "Post": 3, "Document": 1}
    kinds = {r["t"]: r["n"] for r in cypher(
        store, "MATCH ({gen: $gen})-[r]->() RETURN type(r) AS t, count(*) AS n", gen=gen)}
    assert kinds == {"PART_OF": 8, "GUIDED_BY": 1, "IN_AREA": 8, "INPUT": 3, "OUTPUT": 3,
                     "BASED_ON": 2, "HAS_FUNCTION": 6, "HAS_HEADCOUNT": 3, "HOLDS": 3, "AT": 3}
    a = cypher(store, "MATCH (u:Unit {gen: $gen, id: 'a'}) RETURN properties(u) AS p",
               gen=gen)[0]["p"]
    assert a["valid_from"] == "2000" and a["valid_from_day"].to_native() == dt.date(2000, 1, 1)
    assert a["valid_to"] == "2018-07-01" and a["valid_to_day"].to_native() == dt.date(2018, 7, 1)
    assert a["abbr_key"] == "btc" and "ban" in a["search_words"].split()
    city = cypher(store, "MATCH (u:Unit {gen: $gen, id: 'city'}) RETURN properties(u) AS p",
                  gen=gen)[0]["p"]
    assert "valid_to" not in city and "abbr_key" not in city  # nulls are not stored
    assert "note" not in city  # nor empty texts (read back as '')
    meta = cypher(store, "MATCH (m:Meta {key: 'current'}) RETURN properties(m) AS p")[0]["p"]
    assert meta["revision"] == store.revision and "lock" not in meta
    constraints = {r["name"] for r in cypher(store, "SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"bomay_meta_key", "bomay_scenario_id", "bomay_unit_gen_id",
            "bomay_post_gen_seq"} <= constraints
    indexes = {r["name"]: r["type"] for r in cypher(
        store, "SHOW INDEXES YIELD name, type RETURN name, type")}
    assert indexes.get("bomay_post_gen_person_id") == "RANGE"


def test_old_generations_are_deleted_after_the_swap(neo4j_backend):
    store = load(neo4j_backend)
    first = store.revision
    store.replace_dataset(read_dataset(DATA / "c_contract"))
    assert generations(store) == {store.revision} != {first}


def test_a_write_killed_before_the_swap_leaves_the_previous_data(neo4j_backend, query_log):
    store = load(neo4j_backend)
    revision, before = store.revision, store.dataset()
    created = {"n": 0}

    def dies_at_the_third_batch(name):
        created["n"] += name.startswith("load:")
        return created["n"] >= 3  # ... and stays down: not even the clean-up gets through
    fail_with(query_log, dies_at_the_third_batch)
    with pytest.raises(StoreError, match="writing the Neo4j store"):
        store.replace_dataset(read_dataset(DATA / "c_contract"))
    query_log.fail = None  # the connection comes back
    assert len(generations(store)) == 2  # the partial generation is still there ...
    reopened = neo4j_backend.open()
    assert reopened.revision == revision and reopened.dataset() == before  # ... unseen
    assert reopened.get_unit("ckhoi") is None and reopened.units() == store.units()
    reopened.replace_dataset(read_dataset(DATA / "c_contract"))
    assert generations(reopened) == {reopened.revision}  # the next write collects it


def test_a_failure_in_the_swap_transaction_changes_nothing(neo4j_backend, query_log):
    store = load(neo4j_backend)
    revision, before = store.revision, store.dataset()
    fail_with(query_log, lambda name: name == "swap_meta")
    with pytest.raises(StoreError):
        store.replace_dataset(read_dataset(DATA / "c_contract"))
    query_log.fail = None
    assert store.revision == revision and store.dataset() == before
    assert generations(store) == {revision}  # the server still answered: purged at once


def test_a_generation_damaged_while_written_is_refused(neo4j_backend, monkeypatch):
    store = load(neo4j_backend)
    revision = store.revision
    import graph.neo4j.store as ns
    real = ns.Neo4jStore._swap

    def concurrent_gc(self, dataset, gen, *args, **kw):
        # another writer's garbage collection removes part of this generation
        cypher(self, "MATCH (u:Unit {gen: $gen}) WITH u LIMIT 1 DETACH DELETE u", gen=gen)
        return real(self, dataset, gen, *args, **kw)
    monkeypatch.setattr(ns.Neo4jStore, "_swap", concurrent_gc)
    with pytest.raises(StoreError, match="lost Unit nodes"):
        store.replace_dataset(read_dataset(DATA / "c_contract"))
    assert store.revision == revision and store.get_unit("ckhoi") is None
    assert generations(store) == {revision}


def test_relations_to_unknown_units_are_refused_before_writing(neo4j_backend, query_log):
    store = load(neo4j_backend)
    bad = read_dataset(DATA / "chain")
    bad = Dataset(units=bad.units, relations=bad.relations + (Relation("a", "SERVES", "ghost"),))
    query_log.sent.clear()
    with pytest.raises(StoreError, match="unknown unit 'ghost'"):
        store.replace_dataset(bad)
    assert query_log.sent == []


def test_driver_failures_become_store_errors(neo4j_backend, query_log):
    store = load(neo4j_backend)
    fail_with(query_log, lambda name: True)
    with pytest.raises(StoreError, match="reading the Neo4j store"):
        store.units()
    with pytest.raises(StoreError):
        store.save_scenario(StoredScenario(id="s", name="s", at="2018"))
    query_log.fail = None
    assert len(store.units()) == 9


def test_from_env_reads_the_connection_settings():
    from tests.graph.conftest import neo4j_settings

    import graph.neo4j.store as ns
    settings = neo4j_settings()
    store = ns.from_env(settings)
    assert store.location == settings["NEO4J_URI"]
    assert store.database == (settings.get("NEO4J_DATABASE") or None)
    store.close()
    with pytest.raises(StoreError, match="NEO4J_URI is not set"):
        ns.from_env({})


def test_bad_credentials_are_one_store_error_line():
    from tests.graph.conftest import neo4j_settings

    from graph.neo4j.store import Neo4jStore
    settings = neo4j_settings()
    if not settings.get("NEO4J_PASSWORD"):
        pytest.skip("the test server runs without authentication")
    with pytest.raises(StoreError) as caught:
        Neo4jStore(settings["NEO4J_URI"], settings.get("NEO4J_USER", "neo4j"), "wrong-password")
    message = str(caught.value)
    assert "cannot open the Neo4j store" in message and "\n" not in message
    assert "credentials" in message.lower() or "auth" in message.lower(), message


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:9", "neo4j://127.0.0.1:9"])
def test_an_unreachable_server_is_a_store_error(uri):
    from graph.neo4j.store import Neo4jStore
    with pytest.raises(StoreError, match=f"cannot open the Neo4j store at {re.escape(uri)}") as c:
        Neo4jStore(uri, "neo4j", "x")
    assert "\n" not in str(c.value)


def test_every_query_plans_on_the_server_without_a_warning(neo4j_backend):
    """Neo4j's own planner on every query text (EXPLAIN: planned, not run): no syntax or
    semantic error, and no notification (deprecation, cartesian product, unbounded
    variable-length pattern warnings... the ones a schema with its indexes allows)."""
    from graph.neo4j.store import QUERIES
    store = load(neo4j_backend)
    tolerated = {"Neo.ClientNotification.Statement.UnboundedVariableLengthPattern",
                 "Neo.ClientNotification.Statement.ParameterNotProvided"}  # EXPLAIN has none
    found = {}
    with store._driver.session(database=store.database) as session:
        for name, text in QUERIES.items():
            if name.startswith(("schema:", "wipe:")):
                continue
            summary = session.run("EXPLAIN " + text).consume()
            # The driver deprecates `notifications` for GQL status objects, whose codes are
            # not the Neo.ClientNotification names tolerated above: keep the names.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                notes = summary.notifications or []
            codes = {n.get("code") for n in notes} - tolerated
            if codes:
                found[name] = sorted(codes)
    assert found == {}
