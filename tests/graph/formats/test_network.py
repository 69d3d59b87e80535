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


def _gexf_nodes(data: bytes):
    """The GEXF file's node attribute titles by (mode, id), and its nodes' attvalues as
    `{node: {title: [(value, start, end)]}}`."""
    graph = ET.fromstring(data).find(GEXF + "graph")
    titles = {a.get("id"): (block.get("mode"), a.get("title"))
              for block in graph.findall(GEXF + "attributes") if block.get("class") == "node"
              for a in block.findall(GEXF + "attribute")}
    nodes = {}
    for node in graph.iter(GEXF + "node"):
        values: dict[str, list] = {}
        for v in node.iter(GEXF + "attvalue"):
            values.setdefault(titles[v.get("for")][1], []).append(
                (v.get("value"), v.get("start"), v.get("end")))
        nodes[node.get("id")] = values
    return titles, nodes


def test_gexf_has_dynamic_names_and_areas(exported, moved_dataset):
    titles, nodes = _gexf_nodes(exported("gexf", moved_dataset))
    # Each attribute is declared once: dynamic for the dated ones, for every node.
    names = sorted(title for _, title in titles.values())
    assert names == sorted(set(names))
    assert {t for mode, t in titles.values() if mode == "dynamic"} == {
        "name", "name_en", "abbr", "area"}
    assert nodes["pa-cb"]["name"] == [("Chi bộ Sở Ngoại vụ", "2010-01-01", "2014-12-31"),
                                      ("Chi bộ Văn phòng", "2015-01-01", None)]
    for unit_id, start in (("pa-cb", "2010-01-01"), ("pa-sngv", "1990-01-01")):
        assert nodes[unit_id]["area"] == [("pa", start, "2025-06-30"),
                                          ("pb", "2025-07-01", None)]
    # A unit that never changed: one value over its whole life.
    assert nodes["pb-syt"]["name"] == [("Sở Y tế tỉnh B", None, None)]
    assert nodes["pa-sngv"]["name"] == [("Sở Ngoại vụ tỉnh A", None, None)]
    g = nx.read_gexf(io.BytesIO(exported("gexf", moved_dataset)))
    assert [v for v, *_ in g.nodes["pa-cb"]["area"]] == ["pa", "pb"]


def test_a_day_of_gexf_and_graphml_names_and_places_units_as_they_were(exported,
                                                                       moved_dataset):
    import datetime as dt
    before = dt.date(2012, 6, 1)
    titles, nodes = _gexf_nodes(exported("gexf", moved_dataset, at=before))
    assert {mode for mode, _ in titles.values()} == {"static"}
    assert nodes["pa-cb"]["name"] == [("Chi bộ Sở Ngoại vụ", None, None)]
    assert nodes["pa-cb"]["area"] == nodes["pa-sngv"]["area"] == [("pa", None, None)]
    for day, name, area in ((before, "Chi bộ Sở Ngoại vụ", "pa"),
                            (dt.date(2026, 1, 1), "Chi bộ Văn phòng", "pb")):
        g = nx.read_graphml(io.BytesIO(exported("graphml", moved_dataset, at=day)),
                            force_multigraph=True)
        assert (g.nodes["pa-cb"]["name"], g.nodes["pa-cb"]["label"]) == (name, name)
        assert g.nodes["pa-cb"]["area"] == g.nodes["pa-sngv"]["area"] == area
    # GraphML has one value per attribute: the whole history keeps the latest.
    g = nx.read_graphml(io.BytesIO(exported("graphml", moved_dataset)), force_multigraph=True)
    assert (g.nodes["pa-cb"]["name"], g.nodes["pa-cb"]["area"]) == ("Chi bộ Văn phòng", "pb")


def test_networkx_graph_is_plain_unless_dated(moved_dataset):
    plain = networkx_graph(moved_dataset)
    assert all(isinstance(v, (str, int)) for _, d in plain.nodes(data=True) for v in d.values())
    dated = networkx_graph(moved_dataset, dated=True)
    assert dated.nodes["pa-sngv"]["area"] == [("pa", "1990-01-01", "2025-06-30"),
                                              ("pb", "2025-07-01", None)]


def test_gexf_dates_names_and_areas_even_when_no_unit_was_renamed(exported, seed_dataset):
    # The bundled dataset has no names.csv and most of its units no dates at all (networkx
    # alone would declare every name static): the four are still dynamic, declared once,
    # each node with one undated value, and networkx reads them back as dated lists.
    assert not seed_dataset.names
    data = exported("gexf")
    titles, nodes = _gexf_nodes(data)
    assert sorted(t for mode, t in titles.values() if mode == "dynamic") == sorted(
        ["name", "name_en", "abbr", "area"])
    assert len([t for _, t in titles.values()]) == len({t for _, t in titles.values()})
    units = {u.id: u for u in seed_dataset.units}
    assert nodes["mc-tu"]["name"] == [(units["mc-tu"].name, None, None)]
    assert nodes["mc-tu"]["area"] == [(units["mc-tu"].area, None, None)]
    g = nx.read_gexf(io.BytesIO(data))
    assert [v for v, *_ in g.nodes["mc-tu"]["name"]] == [units["mc-tu"].name]
    assert g.nodes["mc-tu"]["kind"] == units["mc-tu"].kind  # a static attribute stays plain
