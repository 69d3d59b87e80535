"""One contract suite for every `graph.store.GraphStore` backend.

Each test takes `store_backend` (tests/graph/conftest.py), which runs it against:
- `embedded` (SQLite + MemoryGraph), always;
- `neo4j`: `Neo4jStore` on a real server (NEO4J_URI; its bomay data is wiped); skipped
  without one, a failure instead with BOMAY_REQUIRE_NEO4J=1.

Expected values are the fixture's own (tests/data/chain: A+B -> C on 2018-07-01, C -> D+E
on 2020-01-01; tests/data/c_contract: moves, SERVES/GUIDED_BY, partial-date headcounts).
The Neo4j-only tests (Cypher text, batching, generations, failures) are in tests/graph/neo4j/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from graph.dates import PartialDate
from graph.errors import Conflict
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Relation
from graph.store import GraphReader, GraphStore, StoredScenario
from loaders import read_dataset
from tests.graph.conftest import raw_dataset

DATA = Path(__file__).parent.parent / "data"
REPO = Path(__file__).parent.parent.parent
BEFORE, MERGED, SPLIT = dt.date(2018, 6, 30), dt.date(2018, 7, 1), dt.date(2020, 1, 1)


def load(backend, name="chain"):
    store = backend.open()
    store.replace_dataset(read_dataset(DATA / name))
    return store


def ids(records):
    return [r.id for r in records]


def P(text):
    return PartialDate.parse(text)


# -- the protocol -------------------------------------------------------------------------------
def protocol_members(protocol) -> set[str]:
    """The names a protocol declares (methods, properties, annotated attributes)."""
    names: set[str] = set()
    for cls in protocol.__mro__:
        if cls.__module__ == "graph.store":
            names |= {n for n in vars(cls) if not n.startswith("_")}
            names |= set(getattr(cls, "__annotations__", {}))
    return names


def test_the_backend_implements_the_protocol(store_backend):
    """Each protocol member is defined by the store's class itself (a catch-all
    `__getattr__` would satisfy `isinstance` without implementing anything), with the
    protocol's parameters."""
    import inspect
    store = store_backend.open()
    cls = type(store)
    members = protocol_members(GraphStore)
    assert {"units", "search_units", "replace_dataset", "location", "revision"} <= members
    for name in sorted(members):
        if name == "location":
            assert isinstance(store.location, str) and store.location, name
            continue
        defined = inspect.getattr_static(cls, name, None)
        assert defined is not None, f"{cls.__name__} does not define {name}"
        wanted = inspect.getattr_static(GraphStore, name)
        if isinstance(wanted, property):
            assert isinstance(defined, property), name
            continue
        assert callable(defined), name
        want = [p for p in inspect.signature(wanted).parameters]
        have = [p for p in inspect.signature(defined).parameters]
        assert have[:len(want)] == want, (name, have, want)
    assert isinstance(store, GraphStore) and isinstance(store, GraphReader)


def test_a_new_store_is_empty(store_backend):
    store = store_backend.open()
    assert store.is_empty() and store.revision == "empty"
    assert store.units() == [] and store.get_unit("a") is None and store.all_relations() == []
    assert store.events() == [] and store.people() == [] and store.search_units("ban") == []
    assert store.dataset() == Dataset() and store.list_scenarios() == []


# -- units --------------------------------------------------------------------------------------
def test_get_unit_returns_the_record_as_loaded(store_backend):
    store = load(store_backend)
    a = store.get_unit("a")
    assert (a.id, a.name, a.name_en, a.abbr, a.kind, a.level, a.area) == (
        "a", "Ban Tổ chức Thành ủy", "City Party Organisation Board", "BTC", "party_board",
        "district", "city")
    assert a.valid_from == P("2000") and a.valid_from.precision == "year"
    assert a.valid_to == P("2018-07-01")  # ended by ev-consolidate
    assert (a.note, a.source) == ("", "test")
    assert store.get_unit("c").valid_from == P("2018-07-01") and store.get_unit("c").abbr == ""
    assert store.get_unit("nope") is None and not store.is_empty()


def test_get_units_keeps_the_asked_order_and_drops_unknown_ids(store_backend):
    store = load(store_backend)
    got = store.get_units(["e", "nope", "a", "city", "a"])
    assert list(got) == ["e", "a", "city"]
    assert got["e"].name == "Phòng Nội vụ mới" and got["city"].valid_to is None
    assert store.get_units([]) == {} and store.get_units(iter(["b"])) == {"b": store.get_unit("b")}


def test_units_as_of_and_by_filter(store_backend):
    store = load(store_backend)
    assert ids(store.units()) == ["a", "b", "c", "city", "d", "e", "tu", "ubkt", "ubnd"]
    assert ids(store.units(BEFORE)) == ["a", "b", "city", "tu", "ubkt", "ubnd"]
    assert ids(store.units(MERGED)) == ["c", "city", "tu", "ubkt", "ubnd"]
    assert ids(store.units(SPLIT)) == ["city", "d", "e", "tu", "ubkt", "ubnd"]
    assert ids(store.units(dt.date(1999, 12, 31))) == []
    assert ids(store.units(kind="party_board")) == ["a", "c", "d"]
    assert ids(store.units(MERGED, kind="party_board")) == ["c"]
    assert ids(store.units(kind="department", level="district")) == ["b", "e"]
    assert ids(store.units(level="province")) == []
    assert ids(store.units(area="city")) == ["a", "b", "c", "d", "e", "tu", "ubkt", "ubnd"]
    assert ids(store.units(BEFORE, area="city", kind="government")) == ["ubnd"]
    assert ids(store.units(area="")) == ["city"]


# -- structure ----------------------------------------------------------------------------------
def test_parent_and_children_as_of(store_backend):
    store = load(store_backend)
    assert store.children("tu", BEFORE) == ["a", "ubkt"]
    assert store.children("tu", MERGED) == ["c", "ubkt"]
    assert store.children("tu", SPLIT) == ["d", "ubkt"]
    assert store.children("tu", None) == ["a", "c", "d", "ubkt"]
    assert store.children("ubnd", MERGED) == [] and store.children("ubnd", SPLIT) == ["e"]
    assert store.children("city", BEFORE) == ["tu", "ubnd"] and store.children("nope", None) == []
    assert store.parent("b", BEFORE) == "ubnd" and store.parent("b", MERGED) is None
    assert store.parent("c", MERGED) == "tu" and store.parent("c", SPLIT) is None
    assert store.parent("c", None) == "tu" and store.parent("city", None) is None
    assert store.parent("nope", None) is None


def test_parent_without_a_date_is_the_most_recent_one(store_backend):
    store = load(store_backend, "c_contract")
    assert store.parent("ttbd", dt.date(2014, 12, 31)) == "ubnd"
    assert store.parent("ttbd", dt.date(2015, 1, 1)) == "tu"
    assert store.parent("ttbd", None) == "tu"  # the open-ended PART_OF wins over the ended one
    assert store.children("ubnd", dt.date(2010, 1, 1)) == ["ttbd"]
    assert store.children("ubnd", dt.date(2015, 1, 1)) == []


def test_relations_by_direction_type_and_date(store_backend):
    store = load(store_backend)
    rel = Relation("a", "GUIDED_BY", "ubkt", P("2010"), P("2018-07-01"), "", "test")
    part = Relation("a", "PART_OF", "tu", P("2000"), P("2018-07-01"), "", "test")
    assert store.relations("a") == [rel, part]  # by type, then source, target, start
    assert store.relations("a", types=["PART_OF"]) == [part]
    assert store.relations("a", BEFORE, types={"GUIDED_BY"}) == [rel]
    assert store.relations("a", MERGED) == []
    assert store.relations("ubkt", direction="in") == [rel]
    assert store.relations("ubkt", direction="out") == [
        Relation("ubkt", "PART_OF", "tu", P("2000"), None, "", "test")]
    both = store.relations("ubkt", direction="both")
    assert [(r.type, r.source_id, r.target_id) for r in both] == [
        ("GUIDED_BY", "a", "ubkt"), ("PART_OF", "ubkt", "tu")]
    assert [r.source_id for r in store.relations("tu", direction="in")] == ["a", "c", "d", "ubkt"]
    assert [r.source_id for r in store.relations("tu", MERGED, direction="in")] == ["c", "ubkt"]
    assert store.relations("tu", types=["SERVES"], direction="both") == []
    assert store.relations("nope", direction="both") == []


def test_relations_of_a_unit_serving_several(store_backend):
    store = load(store_backend, "c_contract")
    out = store.relations("ckhoi", dt.date(2018, 3, 1))
    assert [(r.type, r.target_id) for r in out] == [
        ("GUIDED_BY", "tu"), ("PART_OF", "prov"), ("SERVES", "hpn"), ("SERVES", "mttq")]
    assert store.relations("ckhoi", dt.date(2018, 2, 28)) == []
    assert [(r.source_id, r.type) for r in store.relations("tu", direction="in",
                                                          types=["GUIDED_BY"])] == [
        ("ckhoi", "GUIDED_BY"), ("ubkt", "GUIDED_BY")]
    moved = store.relations("ttbd")
    assert [(r.target_id, str(r.valid_from), r.note) for r in moved] == [
        ("tu", "2015", "moved"), ("ubnd", "2000", "")]


def test_all_relations_in_dataset_order(store_backend):
    store = load(store_backend)
    assert [(r.source_id, r.type, r.target_id) for r in store.all_relations()] == [
        ("tu", "PART_OF", "city"), ("ubnd", "PART_OF", "city"), ("a", "PART_OF", "tu"),
        ("b", "PART_OF", "ubnd"), ("c", "PART_OF", "tu"), ("d", "PART_OF", "tu"),
        ("e", "PART_OF", "ubnd"), ("ubkt", "PART_OF", "tu"), ("a", "GUIDED_BY", "ubkt")]
    assert [r.source_id for r in store.all_relations(MERGED)] == ["tu", "ubnd", "c", "ubkt"]
    assert [r.source_id for r in store.all_relations(types=["GUIDED_BY"])] == ["a"]
    assert store.all_relations(SPLIT, types=["GUIDED_BY", "SERVES"]) == []


# -- events and facts ---------------------------------------------------------------------------
def test_events_by_unit_type_basis_and_dates(store_backend):
    store = load(store_backend)
    consolidate = store.get_event("ev-consolidate")
    assert consolidate.date == P("2018-07-01") and consolidate.type == "CONSOLIDATE"
    assert (consolidate.inputs, consolidate.outputs, consolidate.basis) == (
        ("a", "b"), ("c",), ("doc-plan",))
    assert consolidate.description == "Ban Tổ chức + Phòng Nội vụ → Ban Tổ chức - Nội vụ"
    assert store.get_event("nope") is None
    assert ids(store.events()) == ["ev-consolidate", "ev-split"]
    assert ids(store.events(unit_id="c")) == ["ev-consolidate", "ev-split"]
    assert ids(store.events(unit_id="a")) == ["ev-consolidate"]
    assert ids(store.events(unit_id="e")) == ["ev-split"] and store.events(unit_id="tu") == []
    assert ids(store.events(type="SPLIT")) == ["ev-split"] and store.events(type="MERGE") == []
    assert ids(store.events(basis="doc-plan")) == ["ev-consolidate", "ev-split"]
    assert store.events(basis="nope") == []
    assert ids(store.events(date_from=MERGED)) == ["ev-consolidate", "ev-split"]
    assert ids(store.events(date_from=dt.date(2018, 7, 2))) == ["ev-split"]
    assert ids(store.events(date_to=MERGED)) == ["ev-consolidate"]  # inclusive
    assert store.events(date_to=BEFORE) == []
    assert ids(store.events(unit_id="c", type="SPLIT", basis="doc-plan", date_from=SPLIT,
                            date_to=SPLIT)) == ["ev-split"]


def test_events_with_partial_dates(store_backend):
    store = load(store_backend, "c_contract")
    assert ids(store.events()) == ["ev-establish", "ev-transfer"]
    assert store.get_event("ev-establish").date == P("2018-03")
    assert store.get_event("ev-establish").inputs == ()
    assert ids(store.events(date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 3, 1))) == [
        "ev-establish"]
    assert ids(store.events(unit_id="tu")) == ["ev-transfer"]
    assert ids(store.events(basis="doc-18")) == ["ev-transfer"]


def test_functions_by_unit_and_date(store_backend):
    store = load(store_backend)
    assert [(f.unit_id, f.function) for f in store.functions()] == [
        ("a", "personnel"), ("b", "personnel"), ("b", "office_admin"), ("c", "personnel"),
        ("d", "personnel"), ("e", "personnel")]
    assert [f.function for f in store.functions("b")] == ["personnel", "office_admin"]
    assert store.functions("b", MERGED) == [] and store.functions("nope") == []
    assert [f.unit_id for f in store.functions(at=MERGED)] == ["c"]
    c = store.functions("c")[0]
    assert (c.valid_from, c.valid_to, c.source) == (P("2018-07-01"), P("2020-01-01"), "test")


def test_headcounts_in_date_order(store_backend):
    store = load(store_backend)
    assert [(h.unit_id, str(h.date), h.headcount, h.basis) for h in store.headcounts()] == [
        ("a", "2017", 10, "approved"), ("b", "2017", 8, "approved"),
        ("c", "2018-07-01", 15, "approved")]
    assert [h.headcount for h in store.headcounts("c")] == [15] and store.headcounts("d") == []


def test_headcounts_order_partial_dates_by_first_day_then_precision_then_unit(store_backend):
    store = load(store_backend, "c_contract")
    assert [(h.unit_id, str(h.date), h.headcount) for h in store.headcounts()] == [
        ("hpn", "2018", 12), ("mttq", "2018", 32), ("mttq", "2018-01", 31),
        ("mttq", "2018-01-01", 30), ("ckhoi", "2018-03", 35), ("ckhoi", "2019", 21)]
    assert [str(h.date) for h in store.headcounts("mttq")] == ["2018", "2018-01", "2018-01-01"]
    assert isinstance(store.headcounts("ckhoi")[0].headcount, int)


def test_posts_by_unit_person_and_date(store_backend):
    store = load(store_backend)
    assert [(p.unit_id, p.role) for p in store.posts()] == [
        ("tu", "secretary"), ("ubnd", "chair"), ("c", "head")]
    assert [p.unit_id for p in store.posts(person_id="p1", at=BEFORE)] == ["tu", "ubnd"]
    assert [p.unit_id for p in store.posts(person_id="p1", at=MERGED)] == ["tu", "ubnd", "c"]
    assert [p.role for p in store.posts(unit_id="c")] == ["head"]
    assert store.posts(unit_id="c", at=SPLIT) == [] and store.posts(person_id="nope") == []
    assert store.posts(unit_id="c", person_id="p2") == []
    assert store.posts(at=dt.date(2014, 1, 1)) == []


def test_posts_in_dataset_order(store_backend):
    store = load(store_backend, "c_contract")
    assert [(p.person_id, p.unit_id) for p in store.posts()] == [
        ("p2", "tu"), ("p1", "tu"), ("p1", "ckhoi"), ("p2", "ubnd")]
    assert [(p.person_id, p.role) for p in store.posts(unit_id="tu", at=dt.date(2021, 1, 1))] == [
        ("p2", "secretary")]


def test_people_and_documents(store_backend):
    store = load(store_backend)
    assert [(p.id, p.name, p.source) for p in store.people()] == [("p1", "Nguyễn Văn Một", "test")]
    assert store.get_person("p1").name == "Nguyễn Văn Một" and store.get_person("p2") is None
    doc = store.get_document("doc-plan")
    assert (doc.code, doc.title, doc.issuer, doc.date, doc.url) == (
        "01-KH/TU", "Kế hoạch sắp xếp", "Thành ủy Mẫu", P("2018-06"), "")
    assert store.documents() == [doc] and store.get_document("nope") is None
    other = load(store_backend, "c_contract")
    assert ids(other.people()) == ["p1", "p2"]  # by id, not file order
    assert ids(other.documents()) == ["doc-18", "doc-290"]
    assert other.get_document("doc-290").code == "290-QĐ/TW"


# -- search -------------------------------------------------------------------------------------
def test_search_is_diacritics_insensitive_and_knows_abbreviations(store_backend):
    store = load(store_backend)
    def found(text, at=None, limit=20):
        return [(u.id, score) for u, score in store.search_units(text, at, limit)]
    # whole words; a shorter name ranks first within a rank
    assert found("ban to chuc") == [("d", 0.866), ("a", 0.8495), ("c", 0.8495)]
    assert found("Ban Tổ chức") == found("ban to chuc") == found("BAN TO CHUC")
    assert found("ban to chuc", MERGED) == [("c", 0.8495)]
    assert found("UBKT") == found("ubkt") == [("ubkt", 1.0)]  # abbreviation
    assert found("home affairs") == [("b", 0.89), ("e", 0.8675), ("c", 0.854)]  # English
    assert found("phong noi vu") == [("b", 1.04), ("e", 0.8675)]  # the exact name first
    assert found("Phòng Nội vụ", SPLIT) == [("e", 0.8675)]
    assert found("thanh uy mau") == [("tu", 1.04), ("ubnd", 0.6372)]
    assert found("organi") == [("d", 0.536), ("a", 0.527), ("c", 0.527)]  # a prefix
    assert found("ban", limit=2) == [("d", 0.818), ("a", 0.8135)]
    assert found("zzz") == [] and found("   ") == [] and found("--") == []
    unit, _ = store.search_units("ubkt")[0]
    assert unit == store.get_unit("ubkt")


def test_search_matches_the_embedded_ranking_exactly(store_backend):
    store = load(store_backend, "c_contract")
    memory = MemoryGraph(read_dataset(DATA / "c_contract"))
    for text in ("mttq", "MTTQ", "mat tran", "Mặt trận Tổ quốc", "uy ban", "ủy ban kiểm tra",
                 "tinh", "women", "co quan khoi", "ttbd", "Quảng Ninh", "q", "trung t"):
        assert store.search_units(text) == memory.search_units(text), text
        assert store.search_units(text, dt.date(2018, 1, 1), limit=3) == \
            memory.search_units(text, dt.date(2018, 1, 1), limit=3), text


# -- the whole dataset, revisions, atomicity ----------------------------------------------------
@pytest.mark.parametrize("name", ["chain", "c_contract", "roundtrip", "v_xss", "nfd"])
def test_dataset_round_trip_equals_what_was_loaded(store_backend, name):
    loaded = read_dataset(DATA / name)
    store = store_backend.open()
    store.replace_dataset(loaded)
    back = store.dataset()
    assert back == loaded
    for table in ("units", "relations", "events", "functions", "headcounts", "people", "posts",
                  "documents"):
        assert getattr(back, table) == getattr(loaded, table), table  # same records, same order
    assert [str(d.date) for d in back.headcounts] == [str(d.date) for d in loaded.headcounts]


def test_a_plan_keeps_its_adoption_date_and_its_mapping_tables(store_backend):
    """Every field of a plan back as stored: its adoption date (partial, as written), its
    mapping tables' text (`Plan.tables`), and a plan without either."""
    import dataclasses

    from graph.model import Plan, plan_tables

    table = "new_id,new_name,units\nn1,Xã Mới,a;b\n"
    adopted = Plan(id="reform", name="Sắp xếp", status="adopted", date=P("2025-03-01"),
                   adopted=P("2025-06"), at=P("2025-07-01"), basis=("doc-plan",),
                   units=("a", "b"), source="test", file="reform.yaml",
                   tables=plan_tables({"tables/communes.csv": table}),
                   body="name: Sắp xếp\nstatus: adopted\n")
    planned = Plan(id="draft", name="Dự thảo", status="planned", file="draft.yaml", body="x")
    loaded = dataclasses.replace(read_dataset(DATA / "chain"), plans=(planned, adopted))
    store = store_backend.open()
    store.replace_dataset(loaded)
    back = {p.id: p for p in store.plans()}
    assert back == {"reform": adopted, "draft": planned}
    assert str(back["reform"].adopted) == "2025-06"
    assert back["reform"].table_files() == {"tables/communes.csv": table}
    assert back["draft"].adopted is None and back["draft"].table_files() == {}
    assert store.dataset().plans == loaded.plans


def test_revision_changes_on_every_replace(store_backend):
    store = store_backend.open()
    first = store.replace_dataset(read_dataset(DATA / "chain"))
    assert store.revision == first and first != "empty"
    second = store.replace_dataset(read_dataset(DATA / "chain"))
    assert second != first and store.revision == second
    assert store.dataset() == read_dataset(DATA / "chain")
    third = store.replace_dataset(read_dataset(DATA / "c_contract"), expected_revision=second)
    assert third not in (first, second) and store.revision == third
    assert store.get_unit("a") is None and store.get_unit("ckhoi") is not None


def test_expected_revision_conflict_leaves_the_data_unchanged(store_backend):
    store = load(store_backend)
    revision, before = store.revision, store.dataset()
    with pytest.raises(Conflict):
        store.replace_dataset(read_dataset(DATA / "c_contract"), expected_revision="stale")
    assert store.revision == revision and store.dataset() == before
    assert store.get_unit("ckhoi") is None and store.get_unit("a") is not None
    reopened = store_backend.open()
    assert reopened.revision == revision and reopened.get_unit("ckhoi") is None


def test_a_writer_that_lost_the_race_gets_a_conflict(store_backend):
    store = load(store_backend)
    seen = store.revision
    other = store_backend.open()
    winner = other.replace_dataset(read_dataset(DATA / "c_contract"), expected_revision=seen)
    with pytest.raises(Conflict):
        store.replace_dataset(read_dataset(DATA / "roundtrip"), expected_revision=seen)
    fresh = store_backend.open()  # (an embedded store reads its own last write until reopened)
    assert fresh.revision == winner and fresh.get_unit("ckhoi") is not None
    assert fresh.dataset() == read_dataset(DATA / "c_contract")


def test_expected_revision_of_an_empty_store(store_backend):
    store = store_backend.open()
    with pytest.raises(Conflict):
        store.replace_dataset(read_dataset(DATA / "chain"), expected_revision="abc")
    assert store.is_empty()
    store.replace_dataset(read_dataset(DATA / "chain"), expected_revision="empty")
    assert ids(store.units(MERGED)) == ["c", "city", "tu", "ubkt", "ubnd"]


def test_a_replace_failing_midway_leaves_the_previous_data(store_backend, monkeypatch):
    store = load(store_backend)
    revision, before = store.revision, store.dataset()
    store_backend.fail_writes_midway(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        store.replace_dataset(read_dataset(DATA / "c_contract"))
    monkeypatch.undo()
    assert store.revision == revision and store.dataset() == before
    assert store.get_unit("ckhoi") is None and ids(store.units(MERGED)) == [
        "c", "city", "tu", "ubkt", "ubnd"]
    assert [u.id for u, _ in store.search_units("mttq")] == []
    reopened = store_backend.open()
    assert reopened.revision == revision and reopened.dataset() == before
    # and the store still takes a write afterwards
    reopened.replace_dataset(read_dataset(DATA / "c_contract"))
    assert reopened.dataset() == read_dataset(DATA / "c_contract")


def test_data_and_scenarios_persist_across_reopen(store_backend):
    store = load(store_backend)
    revision = store.revision
    store.save_scenario(StoredScenario(id="s1", name="Merge", at="2018-07-01"))
    store.close()
    reopened = store_backend.open()
    assert reopened.revision == revision and not reopened.is_empty()
    assert reopened.dataset() == read_dataset(DATA / "chain")
    assert reopened.children("tu", MERGED) == ["c", "ubkt"]
    assert [s.id for s in reopened.list_scenarios()] == ["s1"]


def test_scenarios_save_get_list_delete(store_backend):
    store = load(store_backend)
    s2 = StoredScenario(id="s2", name="Gộp ban", at="2018-07-01", description="Hợp nhất",
                        operations=({"op": "merge", "inputs": ["a", "b"], "into": "x"},
                                    {"op": "dissolve", "unit": "ubkt"}),
                        base_revision=store.revision, created="2024-01-02T03:04:05Z",
                        extra={"tags": ["pilot"], "n": 3})
    s1 = StoredScenario(id="s1", name="Split", at="2020")
    store.save_scenario(s2)
    store.save_scenario(s1)
    assert store.get_scenario("s2") == s2 and store.get_scenario("s1") == s1
    assert store.get_scenario("nope") is None
    assert [s.id for s in store.list_scenarios()] == ["s1", "s2"]
    renamed = StoredScenario(id="s1", name="Split again", at="2020", committed="2024-02-01")
    store.save_scenario(renamed)  # same id: replaced
    assert store.get_scenario("s1") == renamed and len(store.list_scenarios()) == 2
    store.replace_dataset(read_dataset(DATA / "c_contract"))  # scenarios survive a reload
    assert [s.id for s in store.list_scenarios()] == ["s1", "s2"]
    assert store.delete_scenario("s2") is True and store.delete_scenario("s2") is False
    assert [s.id for s in store.list_scenarios()] == ["s1"] and store.get_scenario("s2") is None
    assert store_backend.open().get_scenario("s1") == renamed


# -- every read equals MemoryGraph's over a grid of questions ----------------------------------
GRID_DATES = [None, dt.date(1999, 1, 1), dt.date(2010, 1, 1), dt.date(2015, 1, 1),
              dt.date(2018, 3, 1), BEFORE, MERGED, dt.date(2019, 6, 1), SPLIT,
              dt.date(2030, 1, 1)]


@pytest.mark.parametrize("name", ["chain", "c_contract", "v_xss", "c_injection"])
def test_every_read_agrees_with_the_memory_graph(store_backend, name):
    # c_injection's hostile ids are refused by the loader, but a store must keep them safely
    dataset = raw_dataset(DATA / name) if name == "c_injection" else read_dataset(DATA / name)
    store_backend.open().replace_dataset(dataset)
    # A new store on the same durable data: the embedded store keeps the dataset it was
    # given, so reading through the writer would compare MemoryGraph(d) with MemoryGraph(d).
    store = store_backend.open()
    memory = MemoryGraph(dataset)
    unit_ids = [u.id for u in dataset.units] + ["nope"]
    people = [p.id for p in dataset.people] + ["nope"]
    kinds = sorted({u.kind for u in dataset.units}) + [None]
    for at in GRID_DATES:
        assert store.units(at) == memory.units(at), at
        for kind in kinds:
            assert store.units(at, kind=kind) == memory.units(at, kind=kind)
        assert store.all_relations(at) == memory.all_relations(at)
        assert store.all_relations(at, types=["PART_OF"]) == \
            memory.all_relations(at, types=["PART_OF"])
        assert store.functions(at=at) == memory.functions(at=at)
        assert store.posts(at=at) == memory.posts(at=at)
        for uid in unit_ids:
            assert store.parent(uid, at) == memory.parent(uid, at), (uid, at)
            assert store.children(uid, at) == memory.children(uid, at), (uid, at)
            for direction in ("out", "in", "both"):
                assert store.relations(uid, at, direction=direction) == \
                    memory.relations(uid, at, direction=direction), (uid, at, direction)
            assert store.functions(uid, at) == memory.functions(uid, at)
            assert store.posts(unit_id=uid, at=at) == memory.posts(unit_id=uid, at=at)
        for pid in people:
            assert store.posts(person_id=pid, at=at) == memory.posts(person_id=pid, at=at)
    for uid in unit_ids:
        assert store.get_unit(uid) == memory.get_unit(uid)
        assert store.events(unit_id=uid) == memory.events(unit_id=uid)
        assert store.headcounts(uid) == memory.headcounts(uid)
        assert store.relations(uid, types=["SERVES", "GUIDED_BY"], direction="both") == \
            memory.relations(uid, types=["SERVES", "GUIDED_BY"], direction="both")
    assert store.get_units(unit_ids) == memory.get_units(unit_ids)
    assert store.events() == memory.events() and store.headcounts() == memory.headcounts()
    for doc in [d.id for d in dataset.documents] + ["nope"]:
        assert store.events(basis=doc) == memory.events(basis=doc)
        assert store.get_document(doc) == memory.get_document(doc)
    assert store.people() == memory.people() and store.documents() == memory.documents()
    for unit in dataset.units:
        for text in (unit.name, unit.name_en, unit.abbr, unit.id, unit.name[:4]):
            if text:
                assert store.search_units(text) == memory.search_units(text), text


# -- capabilities: each native answer equals the default walk over the primitives --------------
@pytest.mark.parametrize("name", ["chain", "c_contract", "seed"])
def test_every_capability_agrees_with_the_walk_over_the_primitives(store_backend, name):
    from graph import store_defaults as walk
    folder = REPO / "data" / "seed" if name == "seed" else DATA / name
    dataset = read_dataset(folder)
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    unit_ids = [u.id for u in dataset.units]
    dates = GRID_DATES if name != "seed" else [None, dt.date(2018, 8, 7),
                                                dt.date(2020, 2, 11), dt.date(2030, 1, 1)]
    for at in dates:
        assert store.roots(at) == walk.roots(store, at), at
        assert store.stats_counts(at) == walk.stats_counts(store, at), at
        for kind in (None, "party_board"):
            whole = store.units(at, kind=kind)
            for offset, limit in ((0, 50), (1, 2), (3, 1000), (len(whole), 5)):
                page = store.unit_page(at, kind=kind, offset=offset, limit=limit)
                assert (page.items, page.total) == (whole[offset:offset + limit], len(whole))
        for uid in unit_ids + ["nope"]:
            assert store.headcount(uid, at) == walk.headcount(store, uid, at), (uid, at)
            assert store.ancestors(uid, at) == walk.ancestors(store, uid, at), (uid, at)
            assert store.scope(uid, at) == walk.scope(store, uid, at), (uid, at)
            unit = store.get_unit(uid)
            if unit is None or not unit.valid_at(at):
                continue
            for depth in (None, 0, 1, 2):
                assert store.subtree(uid, at, depth) == walk.subtree(store, uid, at, depth), \
                    (uid, at, depth)
            assert store.stats_counts(at, uid) == walk.stats_counts(store, at, uid), (uid, at)


# -- the change log and scenario versions -------------------------------------------------------
def test_every_replace_is_in_the_change_log_newest_first(store_backend):
    from graph.store import ChangeNote
    store = store_backend.open()
    first = store.replace_dataset(read_dataset(DATA / "chain"),
                                  change=ChangeNote("load", "tests/data/chain", "cli:test"))
    second = store.replace_dataset(read_dataset(DATA / "c_contract"))
    noted = store.record_change(ChangeNote("commit", "scenario s1", "api:tok"), second, second)
    log = store_backend.open().changes()
    assert [(c.action, c.what, c.who, c.previous_revision, c.revision) for c in log] == [
        ("commit", "scenario s1", "api:tok", second, second),
        ("replace", "", "", first, second),
        ("load", "tests/data/chain", "cli:test", "empty", first)]
    assert log[0] == noted and log[0].seq > log[1].seq > log[2].seq
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", log[0].when)
    assert [c.seq for c in store.changes(limit=1, offset=1)] == [log[1].seq]
    with pytest.raises(Conflict):  # a refused write is not in the log
        store.replace_dataset(read_dataset(DATA / "chain"), expected_revision="stale")
    assert len(store.changes()) == 3


def test_concurrent_saves_over_one_version_one_wins(store_backend):
    import threading
    store_backend.open().save_scenario(StoredScenario(id="s", name="v1", at="2018"))
    writers = [store_backend.open() for _ in range(4)]
    won, lost = [], []

    def save(store, i):
        try:
            won.append(store.save_scenario(StoredScenario(id="s", name=f"w{i}", at="2018"),
                                           expected_version=1))
        except Conflict:
            lost.append(i)
    threads = [threading.Thread(target=save, args=(w, i)) for i, w in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(lost) == 3 and won[0].version == 2
    assert store_backend.open().get_scenario("s") == won[0]
    with pytest.raises(Conflict):
        writers[0].delete_scenario("s", expected_version=1)
    assert writers[1].delete_scenario("s", expected_version=2) is True
    assert writers[2].get_scenario("s") is None


# -- dated areas (names.csv `area`) ------------------------------------------------------------
def test_a_unit_that_moved_is_listed_in_the_area_it_had_on_each_date(store_backend):
    """tests/data/c_moved: Province A merged into B on 2025-07-01; its Sở Ngoại vụ and the
    Office's Party cell moved to B as they were (their `area` is B, names.csv dates A)."""
    dataset = read_dataset(DATA / "c_moved")
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    memory = MemoryGraph(dataset)
    then, now, early = dt.date(2025, 6, 30), dt.date(2025, 7, 1), dt.date(2012, 1, 1)
    expected = {
        (then, "pa"): ["pa-cb", "pa-sngv", "pa-tu"], (then, "pb"): ["pb-syt", "pb-tu"],
        (now, "pa"): [], (now, "pb"): ["pa-cb", "pa-sngv", "pb-syt", "pb-tu"],
        (early, "pa"): ["pa-cb", "pa-sngv", "pa-tu"], (early, "pb"): ["pb-syt", "pb-tu"],
        # whatever the date: every area it ever had
        (None, "pa"): ["pa-cb", "pa-sngv", "pa-tu"],
        (None, "pb"): ["pa-cb", "pa-sngv", "pb-syt", "pb-tu"]}
    for (at, area), want in expected.items():
        for reader in (store, memory):
            assert ids(reader.units(at, area=area)) == want, (reader, at, area)
        assert ids(store.units(at, area=area, kind="department")) == \
            [u for u in want if "-s" in u], (at, area)
        for offset, limit in ((0, 50), (1, 2)):
            page = store.unit_page(at, area=area, offset=offset, limit=limit)
            assert (ids(page.items), page.total) == (want[offset:offset + limit], len(want))
    assert store.scope("pa", then) == memory.scope("pa", then) == ["pa", "pa-sngv", "pa-tu",
                                                                  "pa-cb"]
    assert store.scope("pb", then) == memory.scope("pb", then) == ["pb", "pb-syt", "pb-tu"]
    assert store.scope("pb", now) == memory.scope("pb", now) == [
        "pb", "pa-sngv", "pb-syt", "pb-tu", "pa-cb"]
    assert [n.area for n in store.unit_names("pa-cb")] == ["pa", "pa"]
    assert store.dataset().names == dataset.names


# -- area listings: the bodies that name no area, by their PART_OF chain ------------------------
@pytest.mark.parametrize("name", ["r_hai_phong", "c_moved", "chain"])
def test_an_area_listing_takes_the_bodies_its_chain_gives(store_backend, name):
    """`area_page` (`GET /units?area=`) lists the units naming the area (`units(at,
    area=)`, dated by names.csv) and the bodies naming none whose PART_OF chain gives it
    (`graph.areas.infer_areas`, the scenario engine's rule), as the walk over the
    primitives does, on every area, date, kind and window. tests/data/r_hai_phong: Hải
    Phòng's Party boards and office under the Thành ủy name no area, nor the Party
    Committees of Kim Thành's communes under the district's."""
    from graph import store_defaults as walk
    from graph.areas import TERRITORIAL_KINDS, infer_areas
    dataset = read_dataset(DATA / name)
    store_backend.open().replace_dataset(dataset)
    store = store_backend.open()
    memory = MemoryGraph(dataset)
    dates = sorted({d.first_day() for u in dataset.units for d in (u.valid_from, u.valid_to)
                    if d is not None} | {dt.date(2025, 6, 30), dt.date(2030, 1, 1)})
    seen_inferred = set()
    for at in dates:
        blank = [u for u in memory.units(at, area="") if u.kind not in TERRITORIAL_KINDS]
        chain = infer_areas(memory, [u for u in blank if u.level != "central"], at,
                            {n.unit_id for n in dataset.names if n.area})
        for area in [u.id for u in memory.units(at) if u.kind in TERRITORIAL_KINDS]:
            for kind in (None, "party_board", "party_committee"):
                own = ids(memory.units(at, kind=kind, area=area))
                theirs = sorted(u for u, a in chain.items() if a == area
                                and (kind is None or memory.get_unit(u).kind == kind))
                want = sorted(own + theirs)
                whole = store.area_page(area, at, kind=kind, limit=10_000)
                assert (ids(whole.items), whole.total, whole.inferred) == (
                    want, len(want), frozenset(theirs)), (at, area, kind)
                assert whole == walk.area_page(store, area, at, kind=kind, limit=10_000)
                for offset, limit in ((1, 2), (3, 5)):
                    page = store.area_page(area, at, kind=kind, offset=offset, limit=limit)
                    window = want[offset:offset + limit]
                    assert (ids(page.items), page.total, page.inferred) == (
                        window, len(want), frozenset(theirs) & set(window))
                seen_inferred |= set(theirs)
    if name == "r_hai_phong":
        assert store.area_page("hp", dt.date(2025, 6, 30), kind="party_board").inferred == {
            "hp-btc", "hp-btgdv"}
        assert {"hp-btc", "hp-ubkt", "hp-vptu", "hp-btgdv", "hd-kt-pt-du"} <= seen_inferred
