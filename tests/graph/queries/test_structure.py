"""`graph.queries.structure` as pure functions: the indexed answers of the in-memory baseline equal the
answers through the bare `GraphReader` protocol, on the named fixtures, the bundled dataset
and a two-province synthetic dataset with its 2025 reform; and the edge cases."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from graph.queries import structure as queries
from graph.dates import PartialDate
from graph.errors import InvalidParameter, NotFound
from graph.embedded.memory import MemoryGraph
from graph.model import Dataset, Headcount, Relation, Unit
from graph.queries.stats import scope_ids
from graph.store import ReaderDefaults
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = Path(__file__).resolve().parents[3] / "data" / "seed"


_PRIMITIVES = ("revision", "get_unit", "get_units", "units", "parent", "children", "relations",
               "all_relations", "get_event", "events", "functions", "headcounts", "posts",
               "get_person", "people", "get_document", "documents", "search_units", "dataset")


class Plain(ReaderDefaults):
    """A GraphReader that is only the primitives: every capability the default way."""

    def __init__(self, inner):
        for name in _PRIMITIVES:
            setattr(self, name, getattr(inner, name))


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> MemoryGraph:
    from loaders.synth import generate
    folder = tmp_path_factory.mktemp("synth")
    generate(folder, provinces=2, seed=3)
    return MemoryGraph(read_dataset(folder))


def graphs(synth):
    out = {name: MemoryGraph(read_dataset(DATA / name)) for name in ("chain", "q_town")}
    out["seed"] = MemoryGraph(read_dataset(SEED))
    out["synth"] = synth
    return out


def _dates(graph: MemoryGraph) -> list[dt.date]:
    """Every bound in the data, the day before it, and a few plain days."""
    days = {dt.date(2000, 1, 1), dt.date(2018, 8, 7), dt.date(2025, 7, 1), dt.date(2030, 1, 1)}
    data = graph.dataset()
    for u in data.units:
        for b in (u.valid_from, u.valid_to):
            if b is not None:
                days |= {b.first_day(), b.first_day() - dt.timedelta(days=1)}
    for e in data.events:
        days |= {e.date.first_day(), e.date.first_day() - dt.timedelta(days=1)}
    return sorted(days)


def test_the_index_answers_like_the_protocol(synth):
    rng = random.Random(7)
    for name, graph in graphs(synth).items():
        plain = Plain(graph)
        assert type(plain).subtree is ReaderDefaults.subtree  # the defaults, not the index
        days = _dates(graph)
        units = list(graph.dataset().units)
        for at in rng.sample(days, min(len(days), 12)):
            assert queries.roots(graph, at) == queries.roots(plain, at), (name, at)
            assert queries.stats(graph, at) == queries.stats(plain, at), (name, at)
            assert graph.unit_page(at, offset=1, limit=3) == plain.unit_page(at, offset=1, limit=3)
        checked = 0
        for _ in range(400 if name != "synth" else 150):
            unit, at = rng.choice(units), rng.choice(days)
            if not unit.valid_at(at):
                continue
            depth = rng.choice([None, 0, 1, 2])
            assert queries.subtree(graph, unit.id, at, depth) == \
                queries.subtree(plain, unit.id, at, depth), (name, unit.id, at, depth)
            assert scope_ids(graph, unit.id, at) == scope_ids(plain, unit.id, at)
            assert queries.stats(graph, at, unit.id) == queries.stats(plain, at, unit.id)
            assert graph.ancestors(unit.id, at) == plain.ancestors(unit.id, at)
            assert graph.headcount(unit.id, at) == plain.headcount(unit.id, at)
            checked += 1
        assert checked > 20, name


def test_the_index_is_built_once_per_graph_and_dropped_with_it():
    graph = MemoryGraph(read_dataset(DATA / "chain"))
    assert graph.structure_index() is graph.structure_index()
    other = MemoryGraph(read_dataset(DATA / "chain"))
    assert other.structure_index() is not graph.structure_index()


def test_a_province_subtree_of_the_synthetic_reform(synth):
    before, after = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    provinces = [u for u in synth.units(before, kind="province")]
    tree = queries.subtree(synth, provinces[0].id, before)
    levels = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        levels.add(node["unit"]["level"])
        assert len(node["children"]) == node["child_count"]
        for child in node["children"]:
            assert child["unit"]["parent"] == node["unit"]["id"]
        stack.extend(node["children"])
    assert levels == {"province", "district", "commune"}  # districts still there the day before
    new = [u for u in synth.units(after, kind="province")]
    assert new and all(u.level == "province" for u in new)


# -- the functions one by one ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def town() -> MemoryGraph:
    return MemoryGraph(read_dataset(DATA / "q_town"))


def test_headcount_at_prefers_the_approved_figure_and_counts_partial_dates_from_day_one(town):
    assert queries.headcount_at(town, "ubkt", dt.date(2017, 12, 31)) is None
    assert queries.headcount_at(town, "ubkt", dt.date(2018, 1, 1)).headcount == 5
    same_day = queries.headcount_at(town, "ubkt", dt.date(2019, 1, 1))
    assert (same_day.headcount, same_day.basis) == (9, "approved")
    assert queries.headcount_at(town, "ubkt", None).headcount == 7  # the latest of all
    only_actual = MemoryGraph(Dataset(units=(Unit("u", "U", "other", "district"),), headcounts=(
        Headcount("u", PartialDate(2019), 3, "actual"),)))
    assert queries.headcount_at(only_actual, "u", dt.date(2020, 1, 1)).headcount == 3


def test_ancestors_are_units_from_the_parent_up(town):
    chain = queries.ancestors(town, "cqk", dt.date(2019, 1, 1))
    assert [u.id for u in chain] == ["mttq", "town"] and all(isinstance(u, Unit) for u in chain)
    with pytest.raises(NotFound, match="did not exist on 2017-01-01"):
        queries.ancestors(town, "cqk", dt.date(2017, 1, 1))


def test_unit_detail_without_a_date_has_every_fact_ever(town):
    body = queries.unit_detail(town, "btg", None)
    assert body["at"] is None and body["exists"] is True
    assert sorted(f["function"] for f in body["functions"]) == ["propaganda", "training"]


def test_search_as_a_function(town):
    hits = queries.search(town, "trung tam", dt.date(2019, 1, 1), 10, kind="centre")
    assert [h["unit"]["id"] for h in hits] == ["hcc", "ttbd"]
    assert hits[0]["unit"]["parent"] == "hu" and 0 < hits[1]["score"] <= hits[0]["score"]
    with pytest.raises(InvalidParameter):
        queries.search(town, "  ", None)
    with pytest.raises(InvalidParameter):
        queries.search(town, "ubkt", None, 0)


def test_depth_must_not_be_negative(town):
    with pytest.raises(InvalidParameter):
        queries.subtree(town, "town", dt.date(2019, 1, 1), depth=-1)
    with pytest.raises(InvalidParameter):
        queries.snapshot(town, dt.date(2019, 1, 1), depth=-1)


def _cyclic() -> MemoryGraph:
    """A PART_OF cycle the loader would refuse, given straight to a MemoryGraph."""
    units = tuple(Unit(i, i.upper(), "other", "district") for i in ("a", "b", "c", "x", "y"))
    rels = (Relation("a", "PART_OF", "b"), Relation("b", "PART_OF", "c"),
            Relation("c", "PART_OF", "a"), Relation("y", "SERVES", "x"),
            Relation("x", "GUIDED_BY", "a"))
    return MemoryGraph(Dataset(units=units, relations=rels))


@pytest.mark.parametrize("reader", [_cyclic(), Plain(_cyclic())], ids=["indexed", "plain"])
def test_walks_stop_at_a_cycle(reader):
    at = dt.date(2020, 1, 1)
    assert [u.id for u in queries.ancestors(reader, "a", at)] == ["b", "c"]
    tree = queries.subtree(reader, "a", at)
    assert tree["children"][0]["unit"]["id"] == "c"
    assert tree["children"][0]["children"][0]["unit"]["id"] == "b"
    assert tree["children"][0]["children"][0]["children"] == []
    assert sorted(scope_ids(reader, "a", at)) == ["a", "b", "c"]


def test_path_falls_back_to_other_relations_between_separate_trees():
    graph = _cyclic()
    body = queries.path(graph, "y", "a", dt.date(2020, 1, 1))
    assert body["found"] and body["via"] == "relations" and body["common_ancestor"] is None
    assert [(s["id"], s["relation"], s["direction"]) for s in body["steps"]] == [
        ("x", "SERVES", "to"), ("a", "GUIDED_BY", "to")]
    lonely = MemoryGraph(Dataset(units=(Unit("p", "P", "other", "district"),
                                        Unit("q", "Q", "other", "district"))))
    none = queries.path(lonely, "p", "q", dt.date(2020, 1, 1))
    assert (none["found"], none["via"], none["steps"], none["length"]) == (False, None, [], 0)


class _Native(Plain):
    """A backend that answers the capabilities itself (as Neo4j does in Cypher): the
    queries must take its answers, after checking their arguments, whatever its type."""

    calls: list[str]

    def __init__(self, inner):
        super().__init__(inner)
        self.calls = []

    def subtree(self, root_id, at, depth=None):
        self.calls.append("subtree")
        return {"unit": {"id": root_id}, "native": True}

    def ancestors(self, unit_id, at):
        self.calls.append("ancestors")
        return ["nope", "c"]  # an unknown id stops the answer

    def roots(self, at):
        self.calls.append("roots")
        return ["c"]

    def scope(self, root_id, at):
        self.calls.append("scope")
        return [root_id]

    def headcount(self, unit_id, at):
        self.calls.append("headcount")
        return Headcount(unit_id, PartialDate(2000), 42)


def test_the_queries_ask_the_reader_for_its_capabilities(town):
    reader = _Native(town)
    at = dt.date(2019, 1, 1)
    # the reader's answer, with the provenance graph.queries adds to each node
    assert queries.subtree(reader, "ubkt", at) == {"unit": {"id": "ubkt"}, "native": True,
                                                   "parent_source": None,
                                                   "headcount_detail": None}
    assert queries.ancestors(reader, "ubkt", at) == []
    assert [u["unit"]["id"] for u in queries.snapshot(reader, at)] == ["c"]
    assert queries.headcount_at(reader, "ubkt", at).headcount == 42
    assert queries.stats(reader, at, "ubkt")["headcount"] == {"total": 42, "units_with_figure": 1}
    assert scope_ids(reader, "ubkt", at) == ["ubkt"]
    assert set(reader.calls) == {"subtree", "ancestors", "roots", "headcount", "scope"}
    with pytest.raises(NotFound):  # the arguments are checked before the reader is asked
        queries.subtree(reader, "nope", at)
    with pytest.raises(InvalidParameter):
        queries.subtree(reader, "ubkt", at, depth=-1)


def test_a_page_of_units_is_a_window_of_units_with_its_total(town):
    at = dt.date(2019, 1, 1)
    everything = town.units(at, level="district")
    page = town.unit_page(at, level="district", offset=1, limit=2)
    assert page.items == everything[1:3] and page.total == len(everything) > 2
    assert (page.offset, page.limit) == (1, 2)
    assert town.unit_page(at, offset=10_000).items == [] and \
        town.unit_page(at, offset=10_000).total == len(town.units(at))
