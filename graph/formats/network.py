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
`(value, start, end)`, networkx's form). networkx writes the file; it would declare an
unchanged unit's plain value in a second, static column of the same title (an undated unit
cannot be given a dated list), so `write_gexf` then merges those columns into the dynamic
ones in the written XML (`_declare_dynamic`). GraphML has no notion of time (an attribute
has one value per node), so a GraphML file keeps the latest names and areas.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any, BinaryIO

import networkx as nx

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


#: The namespaces of the GEXF 1.2 files networkx writes (`version="1.2draft"`).
GEXF_NS = "http://www.gexf.net/1.2draft"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _declare_dynamic(document: bytes, titles: tuple[str, ...]) -> ET.Element:
    """`document` (networkx's GEXF) with the node attributes `titles` declared once each,
    dynamic, for every node.

    networkx declares a node attribute dynamic only for the nodes whose value is a dated
    list, and a second, static column of the same title for the others (an unchanged unit:
    a plain value). The static columns of `titles` are merged into the dynamic ones here,
    their `attvalue`s pointed at the dynamic column: a dynamic `attvalue` without `start` /
    `end` holds over the node's whole life, which is what an unchanged unit's value means."""
    q = f"{{{GEXF_NS}}}"
    root = ET.fromstring(document)
    graph = root.find(q + "graph")
    if graph is None:  # not GEXF as networkx writes it: say so rather than write a wrong file
        raise ValueError("networkx wrote a GEXF file without a graph element")
    blocks = [b for b in graph.findall(q + "attributes") if b.get("class") == "node"]
    static = [b for b in blocks if b.get("mode", "static") == "static"]
    dynamic = next((b for b in blocks if b.get("mode") == "dynamic"), None)
    if dynamic is None:
        dynamic = ET.Element(q + "attributes", {"class": "node", "mode": "dynamic"})
        graph.insert(list(graph).index(blocks[-1]) + 1 if blocks else 0, dynamic)
    declared = {a.get("title"): a.get("id") for a in dynamic.findall(q + "attribute")}
    renamed: dict[str, str] = {}
    for block in static:
        for attribute in block.findall(q + "attribute"):
            title, ident = attribute.get("title"), attribute.get("id")
            if title not in titles or ident is None:
                continue
            block.remove(attribute)
            if title in declared:
                renamed[ident] = declared[title]  # type: ignore[assignment]
            else:
                dynamic.append(attribute)
                declared[title] = ident
        if not block.findall(q + "attribute"):
            graph.remove(block)
    if renamed:
        for value in graph.iter(q + "attvalue"):
            target = renamed.get(value.get("for", ""))
            if target is not None:
                value.set("for", target)
    graph.set("mode", "dynamic")  # a dynamic attribute needs a dynamic graph
    graph.set("timeformat", graph.get("timeformat", "date"))
    return _prefixed(root)


def _prefixed(root: ET.Element) -> ET.Element:
    """`root` with its namespaces written as networkx writes them: plain names and
    `xmlns` attributes on the root (GEXF the default one, `xsi`, `viz`), so that it
    serialises as networkx's file did (ElementTree would otherwise invent `ns0:`
    prefixes, or need a process-wide `register_namespace`)."""
    prefixes = {GEXF_NS: "", XSI_NS: "xsi", f"{GEXF_NS}/viz": "viz"}
    used: set[str] = set()

    def plain(name: str) -> str:
        if not name.startswith("{"):
            return name
        uri, local = name[1:].split("}", 1)
        if uri not in prefixes:
            raise ValueError(f"unexpected namespace in networkx's GEXF: {uri}")
        used.add(uri)
        return f"{prefixes[uri]}:{local}" if prefixes[uri] else local

    for element in root.iter():
        element.tag = plain(element.tag)
        for key in [k for k in element.attrib if k.startswith("{")]:
            element.set(plain(key), element.attrib.pop(key))
    for uri in sorted(used | {GEXF_NS}):
        root.set(f"xmlns:{prefixes[uri]}" if prefixes[uri] else "xmlns", uri)
    return root


def write_gexf(dataset: Any, out: BinaryIO, *, at: dt.date | None = None,
               base: str = "") -> None:
    """GEXF 1.2: dynamic nodes and edges, and over the whole history dynamic names and
    areas (a graph of a day has one of each per node: plain attributes).

    networkx writes the file (`nx.write_gexf`); over the whole history the dated
    attributes are then declared dynamic for every node (`_declare_dynamic`)."""
    graph = networkx_graph(dataset, at, dated=at is None)
    if at is not None:
        nx.write_gexf(graph, out, encoding="utf-8", version="1.2draft")
        return
    written = io.BytesIO()
    nx.write_gexf(graph, written, encoding="utf-8", prettyprint=False, version="1.2draft")
    root = _declare_dynamic(written.getvalue(), DATED_ATTRIBUTES)
    del written
    ET.indent(root)  # as networkx's prettyprint
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
