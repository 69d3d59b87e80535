"""The structure as a networkx graph with plain attributes, and its GraphML / GEXF files.

`networkx_graph` is what `nx.write_graphml` and `nx.write_gexf` need (the store's own
`MemoryGraph.graph` keeps `Relation` objects on its edges and bare nodes, for algorithms):
every attribute is a string (or an int), never None. Nodes are units; edges are
relations (attribute `relation`: PART_OF, SERVES, GUIDED_BY; not `type`, which
GEXF reserves for directed / undirected) and, with `lineage=True`, `BECAME` edges
from each input of a MERGE / CONSOLIDATE / SPLIT / RENAME event to each of its outputs.

`start` / `end` are the first and last day (inclusive, as GEXF counts) of each node and
edge where known, so `write_gexf` writes a dynamic graph that Gephi replays;
`valid_from` / `valid_to` keep the contract's text (partial dates, `valid_to` exclusive).

A unit's `name`, `name_en`, `abbr` and `area` are those of `at` in a graph of a day (as
`dataset_of` cuts it). Over the whole history they are the latest, except in GEXF, whose
attributes can be dynamic: `write_gexf` writes those four as dynamic attributes, one
`attvalue` with its `start` / `end` per name (`History.names`) and per area
(`History.areas`) of a renamed or moved unit (`dated=True` builds them, as lists of
`(value, start, end)`, networkx's form). GraphML has no notion of time (an attribute has
one value per node), so a GraphML file keeps the latest names and areas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graph.dates import PartialDate
from graph.formats.view import History, Source, dataset_of, first_day, last_day_before, text
from graph.model import LINEAGE_EVENTS, Unit

#: The node attributes that change over a unit's life (`names.csv`).
DATED_ATTRIBUTES = ("name", "name_en", "abbr", "area")


def _span(start: PartialDate | None, end: PartialDate | None) -> dict[str, str]:
    span = {}
    if start is not None:
        span["start"] = first_day(start)
    if end is not None:
        span["end"] = last_day_before(end)
    return span


def _bounds(start: PartialDate | None, end: PartialDate | None) -> tuple[str | None, str | None]:
    return first_day(start) or None, last_day_before(end) or None


def _dated(history: History, u: Unit) -> dict[str, Any]:
    """The dynamic values of a renamed or moved unit: `{attribute: [(value, start, end)]}`."""
    out: dict[str, Any] = {}
    names = history.names(u)
    if names:
        for key in ("name", "name_en", "abbr"):
            out[key] = [(getattr(n, key), *_bounds(n.valid_from, n.valid_to)) for n in names]
    areas = history.areas(u)
    if areas:
        out["area"] = [(a.area, *_bounds(a.valid_from, a.valid_to)) for a in areas]
    return out


def networkx_graph(source: Source, at: dt.date | None = None, *,
                   lineage: bool = True, dated: bool = False) -> nx.MultiDiGraph:
    """A MultiDiGraph of `source` (a reader or a dataset; with `at`, that day only) whose
    node and edge attributes are plain strings; edge keys (GraphML edge ids) are `source TYPE target valid_from`, unique.
    With `dated` (and no `at`), the `DATED_ATTRIBUTES` of a renamed or moved unit are lists
    of `(value, start, end)` instead: what `nx.write_gexf` writes as dynamic attributes."""
    dataset = dataset_of(source, at)
    graph = nx.MultiDiGraph()
    if at is not None:
        graph.graph["at"] = at.isoformat()
    history = History(dataset) if dated and at is None else None
    for u in dataset.units:
        graph.add_node(u.id, label=u.name, name=u.name, name_en=u.name_en, abbr=u.abbr,
                       kind=u.kind, level=u.level, area=u.area, valid_from=text(u.valid_from),
                       valid_to=text(u.valid_to), source=u.source,
                       **_span(u.valid_from, u.valid_to))
        if history is not None:
            graph.nodes[u.id].update(_dated(history, u))
    for r in dataset.relations:
        graph.add_edge(r.source_id, r.target_id, key=f"{r.source_id} {r.type} {r.target_id} {text(r.valid_from)}".rstrip(),
                       relation=r.type, label=r.type, valid_from=text(r.valid_from),
                       valid_to=text(r.valid_to), note=r.note, source=r.source,
                       **_span(r.valid_from, r.valid_to))
    if lineage:
        known = set(graph)
        for e in dataset.events:
            if e.type not in LINEAGE_EVENTS:
                continue
            for old in e.inputs:
                for new in e.outputs:
                    if old in known and new in known and old != new:
                        graph.add_edge(old, new, key=f"{old} BECAME {new} {e.id}", relation="BECAME",
                                       label=e.type, event=e.id, event_type=e.type,
                                       valid_from=e.date.iso, valid_to="", note="",
                                       source=e.source, start=first_day(e.date))
    return graph


def write_graphml(dataset: Any, out: BinaryIO, *, at: dt.date | None = None,
                  base: str = "") -> None:
    nx.write_graphml(networkx_graph(dataset, at), out, encoding="utf-8")


class _DatedGEXFWriter(GEXFWriter):
    """networkx's GEXF writer, declaring `DATED_ATTRIBUTES` dynamic for every node.

    networkx declares an attribute dynamic only for a node whose value is a dated list,
    and static for the others: two columns of one title. A plain value of a dynamic
    attribute (an `attvalue` without `start` / `end`) holds over the node's whole life."""

    def get_attr_id(self, title, attr_type, edge_or_node, default, mode):
        if edge_or_node == "node" and title in DATED_ATTRIBUTES:
            mode = "dynamic"
        return super().get_attr_id(title, attr_type, edge_or_node, default, mode)


def write_gexf(dataset: Any, out: BinaryIO, *, at: dt.date | None = None,
               base: str = "") -> None:
    """GEXF 1.2: dynamic nodes and edges, and over the whole history dynamic names and
    areas (a graph of a day has one of each per node: plain attributes)."""
    graph = networkx_graph(dataset, at, dated=at is None)
    writer = _DatedGEXFWriter(encoding="utf-8", version="1.2draft") if at is None \
        else GEXFWriter(encoding="utf-8", version="1.2draft")
    writer.add_graph(graph)
    writer.write(out)
