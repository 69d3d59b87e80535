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
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

import networkx as nx

from graph.dates import PartialDate
from graph.formats.view import Source, dataset_of, first_day, last_day_before, text
from graph.model import LINEAGE_EVENTS


def _span(start: PartialDate | None, end: PartialDate | None) -> dict[str, str]:
    span = {}
    if start is not None:
        span["start"] = first_day(start)
    if end is not None:
        span["end"] = last_day_before(end)
    return span


def networkx_graph(source: Source, at: dt.date | None = None, *,
                   lineage: bool = True) -> nx.MultiDiGraph:
    """A MultiDiGraph of `source` (a reader or a dataset; with `at`, that day only) whose
    node and edge attributes are plain strings; edge keys (GraphML edge ids) are `source TYPE target valid_from`, unique."""
    dataset = dataset_of(source, at)
    graph = nx.MultiDiGraph()
    if at is not None:
        graph.graph["at"] = at.isoformat()
    for u in dataset.units:
        graph.add_node(u.id, label=u.name, name=u.name, name_en=u.name_en, abbr=u.abbr,
                       kind=u.kind, level=u.level, area=u.area, valid_from=text(u.valid_from),
                       valid_to=text(u.valid_to), source=u.source,
                       **_span(u.valid_from, u.valid_to))
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


def write_gexf(dataset: Any, out: BinaryIO, *, at: dt.date | None = None,
               base: str = "") -> None:
    nx.write_gexf(networkx_graph(dataset, at), out, encoding="utf-8", version="1.2draft")
