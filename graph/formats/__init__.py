"""Open formats out of any `GraphReader` (the baseline or a scenario's state), pure.

Each writer takes a reader (or a `Dataset`), an optional `at` (only the facts on that
day) and a binary stream, and writes one document to the stream:

- `turtle`, `jsonld`, `nt`: W3C ORG (with OWL-Time intervals, PROV and DCMI terms), `rdf`
  (`nt`, N-Triples, is streamed a chunk at a time: the one for a national dataset);
- `popolo`: Popolo JSON, `popolo`;
- `graphml`, `gexf`: the structure as a networkx graph with plain attributes (GEXF
  dynamic: start and end per node and edge, and dated names and areas), `network`.

With `at`, every unit has the name and area it had that day (`view.dataset_of`); without,
its latest, and the whole-history formats carry its former names and areas with their
dates (`view.History`).

The data contract's own CSV folder is written by `loaders.export`, outside graph/ (which
depends on no other layer); the API and the CLI offer it beside these as `csv`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

from graph.formats.network import networkx_graph, write_gexf, write_graphml
from graph.formats.popolo import popolo_document, write_popolo
from graph.formats.rdf import DEFAULT_BASE, ntriples_chunks, rdf_graph, turtle_chunks, \
    write_jsonld, write_ntriples, write_turtle
from graph.formats.view import Source, dataset_of


@dataclass(frozen=True)
class Format:
    """An export format: its name, the media type of its answer and a file extension; and,
    for a document that is the concatenation of its parts, `chunks` (the parts' bytes)."""

    name: str
    media_type: str
    extension: str
    write: Callable[..., None]
    description: str
    chunks: Callable[..., Iterator[bytes]] | None = None
    #: How a line comment starts in the format (for a streamed one: the note that ends a
    #: document whose writing failed part-way, `api.exports.failure_note`).
    comment: str = ""


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "text/turtle; charset=utf-8", ".ttl", write_turtle,
           "W3C ORG in RDF Turtle", turtle_chunks, "#"),
    Format("jsonld", "application/ld+json", ".jsonld", write_jsonld,
           "W3C ORG in JSON-LD"),
    Format("nt", "application/n-triples", ".nt", write_ntriples,
           "W3C ORG in N-Triples, streamed: the fast one for a national dataset",
           ntriples_chunks, "#"),
    Format("popolo", "application/json", ".json", write_popolo,
           "Popolo JSON: organizations, persons, posts, memberships"),
    Format("graphml", "application/graphml+xml", ".graphml", write_graphml,
           "GraphML (units and relations with plain attributes)"),
    Format("gexf", "application/gexf+xml", ".gexf", write_gexf,
           "GEXF 1.2, dynamic: Gephi replays the timeline"),
)}


def write(source: Source, fmt: str, out: BinaryIO, *, at: dt.date | None = None,
          base: str = DEFAULT_BASE) -> None:
    """Write `source` (a reader or a dataset) to `out` in format `fmt` (a key of FORMATS)."""
    FORMATS[fmt].write(dataset_of(source, at), out, at=at, base=base)


def chunks(source: Source, fmt: str, *, at: dt.date | None = None,
           base: str = DEFAULT_BASE) -> Iterator[bytes] | None:
    """`source` in format `fmt` as the bytes of its parts, one after the other, for a
    format written in parts (`Format.chunks`; else None). What the export covers is read
    now (`dataset_of`); the parts are made as they are read."""
    make = FORMATS[fmt].chunks
    return None if make is None else make(dataset_of(source, at), at=at, base=base)


__all__ = ["DEFAULT_BASE", "FORMATS", "Format", "chunks", "dataset_of", "networkx_graph", "popolo_document",
           "rdf_graph", "write", "write_gexf", "write_graphml", "write_jsonld", "write_ntriples",
           "write_popolo", "write_turtle"]
