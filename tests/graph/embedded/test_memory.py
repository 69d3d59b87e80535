"""MemoryGraph's adjacency lists and the networkx graph it builds on demand agree."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from graph.embedded.memory import MemoryGraph
from loaders import read_dataset


def test_the_networkx_graph_holds_every_relation_and_agrees_with_children(data_dir):
    dataset = read_dataset(data_dir / "chain")
    memory = MemoryGraph(dataset)
    graph = memory.graph
    assert isinstance(graph, nx.MultiDiGraph) and memory.graph is graph  # built once
    assert sorted(map(repr, (d for _, _, d in graph.edges(data="rel")))) == \
        sorted(map(repr, dataset.relations))
    assert set(graph.nodes) == {u.id for u in dataset.units}
    day = dt.date(2019, 1, 1)
    for unit in dataset.units:
        via_networkx = sorted({src for src, _, rel in graph.in_edges(unit.id, data="rel")
                               if rel.type == "PART_OF" and rel.valid_at(day)})
        assert memory.children(unit.id, day) == via_networkx
        assert memory.incoming(unit.id) == [r for r in dataset.relations if r.target_id == unit.id]


def test_an_unknown_unit_has_no_relations(data_dir):
    memory = MemoryGraph(read_dataset(data_dir / "chain"))
    assert memory.parent("nope", None) is None
    assert memory.children("nope", None) == [] and memory.relations("nope") == []
    assert memory.incoming("nope") == []
