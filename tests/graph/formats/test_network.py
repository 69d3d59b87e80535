"""GraphML and GEXF out through networkx, read back by networkx's own readers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import networkx as nx

from graph.formats import networkx_graph
from graph.model import LINEAGE_EVENTS

GEXF = "{http://www.gexf.net/1.2draft}"


def _became(dataset) -> int:
    return sum(len(e.inputs) * len(e.outputs) for e in dataset.events
               if e.type in LINEAGE_EVENTS)


def test_networkx_graph_has_plain_attributes(seed_dataset):
    g = networkx_graph(seed_dataset)
    assert g.number_of_nodes() == len(seed_dataset.units)
    assert g.number_of_edges() == len(seed_dataset.relations) + _became(seed_dataset)
    plain = (str, int)
    assert all(isinstance(v, plain) for _, d in g.nodes(data=True) for v in d.values())
    assert all(isinstance(v, plain) for *_, d in g.edges(keys=True, data=True) for v in d.values())
    # What the store's own graph cannot do: networkx's writers accept it.
    nx.write_graphml(g, io.BytesIO())
    nx.write_gexf(g, io.BytesIO())


def test_graphml_round_trip(exported, seed_dataset):
    g = nx.read_graphml(io.BytesIO(exported("graphml")), force_multigraph=True)
    assert g.number_of_nodes() == len(seed_dataset.units)
    relations = [d for *_, d in g.edges(data=True) if d["relation"] != "BECAME"]
    assert len(relations) == len(seed_dataset.relations)
    assert g.nodes["mc-ban-to-chuc"]["valid_to"] == "2018-08-07"
    assert g.nodes["mc-ban-to-chuc"]["kind"] == "party_board"
    assert g.has_edge("mc-ban-to-chuc", "mc-to-chuc-noi-vu")


def test_gexf_is_dynamic(exported, seed_dataset):
    data = exported("gexf")
    root = ET.fromstring(data)
    graph = root.find(GEXF + "graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    nodes = {n.get("id"): n for n in graph.iter(GEXF + "node")}
    assert len(nodes) == len(seed_dataset.units)
    ended = [u for u in seed_dataset.units if u.valid_to is not None]
    assert sum(n.get("end") is not None for n in nodes.values()) == len(ended)
    # GEXF intervals are closed: the last day a consolidated board existed.
    assert nodes["mc-ban-to-chuc"].get("end") == "2018-08-06"
    assert nodes["mc-to-chuc-noi-vu"].get("start") == "2018-08-07"
    g = nx.read_gexf(io.BytesIO(data))
    assert g.number_of_nodes() == len(seed_dataset.units)
    assert g.number_of_edges() == len(seed_dataset.relations) + _became(seed_dataset)


def test_a_day_keeps_what_stood_on_it(seed_dataset):
    import datetime as dt
    day = dt.date(2018, 1, 1)
    g = networkx_graph(seed_dataset, day)
    assert g.number_of_nodes() == sum(u.valid_at(day) for u in seed_dataset.units)
    assert "mc-to-chuc-noi-vu" not in g and "mc-ban-to-chuc" in g
    assert g.graph["at"] == "2018-01-01"
