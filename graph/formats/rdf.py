"""W3C ORG in RDF (Turtle, JSON-LD, N-Triples) with rdflib.

`rdf_graph` is the whole graph (one rdflib Graph); the writers build and write it a chunk
at a time (`rdf_chunks`: small graphs of about `CHUNK_TRIPLES`), so that an export of a
national dataset holds one chunk in memory, not millions of triples, and does not meet
rdflib's Turtle serializer's superlinear cost (docs/export.md has the figures).

The mapping (documented with a SPARQL example in docs/export.md):
- a unit is an `org:Organization`, and an `org:FormalOrganization` when it is never PART_OF
  anything or an `org:OrganizationalUnit` when it is; names are `skos:prefLabel` in `vi` and
  `en`, the abbreviation `skos:altLabel`, the kind an `org:classification` concept;
- a PART_OF relation is `org:subOrganizationOf` (SERVES and GUIDED_BY are `org:linkedTo`
  plus `bomay:serves` / `bomay:guidedBy`), each also qualified by an `rdf:Statement` node
  carrying its `time:Interval` (relations change over time; a bare triple cannot say when);
- an event is an `org:ChangeEvent` with `org:originalOrganization` (inputs),
  `org:resultingOrganization` (outputs), `prov:used` (its basis documents), `dcterms:date`;
- a post is an `org:Post` (`org:postIn` its unit, `org:role`); a person `org:holds` it, and
  an `org:Membership` with `org:memberDuring` says when;
- a document is a `foaf:Document` / `dcterms:BibliographicResource` with `dcterms:` fields;
- a unit's labels and `bomay:area` are those of `at` in an export of a day, else the latest;
  over the whole history a renamed unit has a `bomay:UnitName` per name (the current one
  included; `bomay:hasName`, `skos:prefLabel` vi / en, `skos:altLabel` abbreviation,
  `time:hasTime` its interval), and a moved unit an `rdf:Statement` per area (`rdf:subject`
  the unit, `rdf:predicate` `bomay:area`, `rdf:object` the area, `time:hasTime`), qualified
  as relations are.

IRIs are `{base}units/{id}`, `{base}events/{id}`, `{base}documents/{id}`, `{base}people/{id}`
(the API's own addresses when `base` is where bomay serves), `{base}vocab#` for bomay's
few terms. Partial dates keep their precision (`xsd:gYear`, `xsd:gYearMonth`, `xsd:date`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import BinaryIO, Iterator
from urllib.parse import quote

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS, TIME

from graph.dates import PartialDate
from graph.formats.view import History
from graph.model import Dataset

#: The address `bomay serve` (and `make run`) answers on: unit IRIs resolve to /units/{id}.
DEFAULT_BASE = "http://127.0.0.1:8000/"
ORG = Namespace("http://www.w3.org/ns/org#")

_RELATION_PREDICATES = {"PART_OF": ORG.subOrganizationOf}
_VOCAB_PREDICATES = {"SERVES": "serves", "GUIDED_BY": "guidedBy"}


def _seg(value: str) -> str:
    return quote(value, safe="")


#: What an IRI cannot hold (RFC 3987): controls, space and <>"{}|\\^`. rdflib refuses to write
#: an IRI with one of the last ones ("does not look like a valid URI"), and writes one with a
#: control character as is, which breaks the line-based N-Triples.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def page_iri(url: str) -> URIRef | None:
    """A document's `url` (free text in documents.csv) as the IRI of its `foaf:page`: what an
    IRI cannot hold percent-encoded (a space as %20, as a browser sends it), so that no URL
    can stop a document part-way; None when the text is not an absolute address (`see the
    provincial gazette`, `www.example.org`): it is written as a `bomay:url` literal instead."""
    url = url.strip()
    if not _SCHEME.match(url):
        return None
    return URIRef(_NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()),
                                  url))


def date_literal(date: PartialDate) -> Literal:
    """A partial date at its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    datatype = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}[date.precision]
    return Literal(date.iso, datatype=datatype)


_TIME_PROPERTY = {"year": TIME.inXSDgYear, "month": TIME.inXSDgYearMonth, "day": TIME.inXSDDate}


class _Builder:
    def __init__(self, base: str, store: str = "default"):
        self.base = base if base.endswith(("/", "#", ":")) else base + "/"
        self.vocab = Namespace(self.base + "vocab#")
        self.store = store
        self.g = self.new_graph()
        self.added = 0  # triples added to `g` (a repeated one counted again)

    def new_graph(self) -> Graph:
        """An empty graph with bomay's prefixes bound (a whole document's, or a chunk's)."""
        g = Graph(store=self.store)
        for prefix, ns in (("org", ORG), ("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV),
                           ("time", TIME), ("foaf", FOAF), ("bomay", self.vocab)):
            g.bind(prefix, ns)
        return g

    def iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(_seg(p) for p in parts))

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))
        self.added += 1

    def text(self, s, p, value: str, lang: str | None = None) -> None:
        if value:
            self.add(s, p, Literal(value, lang=lang))

    def interval(self, node, start: PartialDate | None, end: PartialDate | None,
                 predicate=TIME.hasTime) -> None:
        """`node predicate [a time:Interval; time:hasBeginning/hasEnd [a time:Instant]]`,
        with bomay:validFrom / bomay:validTo beside it for simple queries."""
        interval = BNode()
        self.add(node, predicate, interval)
        self.add(interval, RDF.type, TIME.Interval)
        for date, edge, flat in ((start, TIME.hasBeginning, self.vocab.validFrom),
                                 (end, TIME.hasEnd, self.vocab.validTo)):
            if date is None:
                continue
            instant = BNode()
            self.add(interval, edge, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, _TIME_PROPERTY[date.precision], date_literal(date))
            self.add(node, flat, date_literal(date))


def rdf_graph(dataset: Dataset, *, base: str = DEFAULT_BASE, at: dt.date | None = None) -> Graph:
    """The dataset as an rdflib Graph in W3C ORG terms (see the module docstring)."""
    b = _Builder(base)
    for _ in _statements(b, dataset, at):
        pass
    return b.g


def _statements(b: _Builder, dataset: Dataset, at: dt.date | None) -> Iterator[None]:
    """Add the dataset's triples to `b.g`, pausing (a `yield`) after each record's: where a
    streaming writer may write the triples so far and start a new graph. The triples of one
    record (its blank-node intervals with it) are never split."""
    v = b.vocab
    units = {u.id for u in dataset.units}
    has_parent = {r.source_id for r in dataset.relations if r.type == "PART_OF"}
    history = History(dataset) if at is None else None

    def unit_iri(unit_id: str) -> URIRef:
        return b.iri("units", unit_id)

    for kind in sorted({u.kind for u in dataset.units}):
        concept = b.iri("vocab", "kinds", kind)
        b.add(concept, RDF.type, SKOS.Concept)
        b.add(concept, SKOS.prefLabel, Literal(kind))
    for u in dataset.units:
        s = unit_iri(u.id)
        b.add(s, RDF.type, ORG.Organization)
        b.add(s, RDF.type, ORG.OrganizationalUnit if u.id in has_parent
              else ORG.FormalOrganization)
        b.add(s, ORG.identifier, Literal(u.id))
        b.text(s, SKOS.prefLabel, u.name, "vi")
        b.text(s, SKOS.prefLabel, u.name_en, "en")
        b.text(s, SKOS.altLabel, u.abbr, "vi")
        b.add(s, ORG.classification, b.iri("vocab", "kinds", u.kind))
        b.add(s, v.level, Literal(u.level))
        if u.area:
            b.add(s, v.area, unit_iri(u.area))
        for date, prop in ((u.valid_from, v.validFrom), (u.valid_to, v.validTo)):
            if date is not None:
                b.add(s, prop, date_literal(date))
        b.text(s, SKOS.note, u.note)
        b.text(s, DCTERMS.source, u.source)
        if history is not None:
            for n in history.names(u):
                node = b.iri("names", u.id, n.valid_from.iso if n.valid_from else "-")
                b.add(node, RDF.type, v.UnitName)
                b.add(s, v.hasName, node)
                b.add(node, v.nameOf, s)
                b.text(node, SKOS.prefLabel, n.name, "vi")
                b.text(node, SKOS.prefLabel, n.name_en, "en")
                b.text(node, SKOS.altLabel, n.abbr, "vi")
                b.interval(node, n.valid_from, n.valid_to)
                b.text(node, DCTERMS.source, n.source)
            for a in history.areas(u):
                node = b.iri("areas", u.id, a.valid_from.iso if a.valid_from else "-")
                b.add(node, RDF.type, RDF.Statement)
                b.add(node, RDF.type, v.DatedArea)
                b.add(node, RDF.subject, s)
                b.add(node, RDF.predicate, v.area)
                if a.area:
                    b.add(node, RDF.object, unit_iri(a.area))
                b.interval(node, a.valid_from, a.valid_to)
        yield

    for r in dataset.relations:
        s, o = unit_iri(r.source_id), unit_iri(r.target_id)
        predicate = _RELATION_PREDICATES.get(r.type) or v[_VOCAB_PREDICATES.get(r.type, r.type)]
        b.add(s, predicate, o)
        if r.type != "PART_OF":
            b.add(s, ORG.linkedTo, o)
        node = b.iri("relations", r.source_id, r.type, r.target_id, r.valid_from.iso
                     if r.valid_from else "-")
        b.add(node, RDF.type, RDF.Statement)
        b.add(node, RDF.type, v.Relation)
        b.add(node, RDF.subject, s)
        b.add(node, RDF.predicate, predicate)
        b.add(node, RDF.object, o)
        b.add(node, v.relationType, Literal(r.type))
        b.interval(node, r.valid_from, r.valid_to)
        b.text(node, SKOS.note, r.note)
        b.text(node, DCTERMS.source, r.source)
        yield

    for e in dataset.events:
        s = b.iri("events", e.id)
        b.add(s, RDF.type, ORG.ChangeEvent)
        b.add(s, DCTERMS.identifier, Literal(e.id))
        b.add(s, DCTERMS.date, date_literal(e.date))
        b.add(s, v.eventType, Literal(e.type))
        b.text(s, DCTERMS.description, e.description)
        b.text(s, DCTERMS.source, e.source)
        for unit_id in e.inputs:
            b.add(s, ORG.originalOrganization, unit_iri(unit_id))
            b.add(unit_iri(unit_id), ORG.changedBy, s)
        for unit_id in e.outputs:
            b.add(s, ORG.resultingOrganization, unit_iri(unit_id))
            b.add(unit_iri(unit_id), ORG.resultedFrom, s)
        for doc in e.basis:
            b.add(s, PROV.used, b.iri("documents", doc))
        yield

    for d in dataset.documents:
        s = b.iri("documents", d.id)
        b.add(s, RDF.type, FOAF.Document)
        b.add(s, RDF.type, DCTERMS.BibliographicResource)
        b.add(s, DCTERMS.identifier, Literal(d.code))
        b.text(s, DCTERMS.title, d.title, "vi")
        if d.date is not None:
            b.add(s, DCTERMS.issued, date_literal(d.date))
        if d.issuer:
            b.add(s, DCTERMS.creator, unit_iri(d.issuer) if d.issuer in units
                  else Literal(d.issuer))
        if d.url:
            page = page_iri(d.url)
            if page is not None:
                b.add(s, FOAF.page, page)
            else:  # not an address: kept, as the text it is
                b.add(s, v.url, Literal(d.url))
        b.text(s, DCTERMS.source, d.source)
        yield

    for p in dataset.people:
        s = b.iri("people", p.id)
        b.add(s, RDF.type, FOAF.Person)
        b.add(s, FOAF.name, Literal(p.name, lang="vi"))
        b.text(s, DCTERMS.source, p.source)
        yield

    for role in sorted({p.role for p in dataset.posts}):
        s = b.iri("vocab", "roles", role)
        b.add(s, RDF.type, ORG.Role)
        b.add(s, SKOS.prefLabel, Literal(role))
    for held in dataset.posts:
        post = b.iri("posts", held.unit_id, held.role)
        role = b.iri("vocab", "roles", held.role)
        person, unit = b.iri("people", held.person_id), unit_iri(held.unit_id)
        b.add(post, RDF.type, ORG.Post)
        b.add(post, ORG.postIn, unit)
        b.add(unit, ORG.hasPost, post)
        b.add(post, ORG.role, role)
        b.add(post, ORG.heldBy, person)
        b.add(person, ORG.holds, post)
        membership = b.iri("posts", held.unit_id, held.role, held.person_id,
                           held.valid_from.iso if held.valid_from else "-")
        b.add(membership, RDF.type, ORG.Membership)
        b.add(membership, ORG.member, person)
        b.add(membership, ORG.organization, unit)
        b.add(membership, ORG.role, role)
        b.add(membership, v.post, post)
        b.interval(membership, held.valid_from, held.valid_to, ORG.memberDuring)
        b.text(membership, DCTERMS.source, held.source)
        yield

    for f in dataset.functions:
        node = b.iri("functions", f.unit_id, f.function, f.valid_from.iso if f.valid_from else "-")
        b.add(node, RDF.type, v.FunctionAssignment)
        b.add(node, v.unit, unit_iri(f.unit_id))
        b.add(node, v.function, Literal(f.function))
        b.interval(node, f.valid_from, f.valid_to)
        yield
    for h in dataset.headcounts:
        node = b.iri("headcount", h.unit_id, h.date.iso, h.basis or "-")
        b.add(node, RDF.type, v.HeadcountFigure)
        b.add(node, v.unit, unit_iri(h.unit_id))
        b.add(node, v.headcount, Literal(h.headcount))
        b.add(node, DCTERMS.date, date_literal(h.date))
        b.text(node, v.basis, h.basis)
        b.text(node, DCTERMS.source, h.source)
        yield
    if at is not None:
        # Say what day the document describes.
        b.add(URIRef(b.base), v.asOf, Literal(at.isoformat(), datatype=XSD.date))
    yield


#: Triples per graph when a document is written in chunks (a few MB of memory each).
CHUNK_TRIPLES = 20_000


def rdf_chunks(dataset: Dataset, *, base: str = DEFAULT_BASE,
               at: dt.date | None = None) -> Iterator[Graph]:
    """The triples of `rdf_graph`, as small graphs of about `CHUNK_TRIPLES` each (a
    record's triples, its blank-node intervals with them, never split across two), for
    writing a document of any size in the memory of one chunk. A triple shared by two
    records (a post with two holders) may come in two chunks: a reader keeps it once."""
    b = _Builder(base, store="SimpleMemory")  # a chunk is written once: no indexes needed
    for _ in _statements(b, dataset, at):
        if b.added >= CHUNK_TRIPLES:
            yield b.g
            b.g, b.added = b.new_graph(), 0
    if b.added:
        yield b.g


def _concatenated(dataset: Dataset, rdflib_format: str, *, at: dt.date | None,
                  base: str) -> Iterator[bytes]:
    """Each chunk by rdflib's `rdflib_format` serializer, one after the other: for the
    formats whose documents concatenate into one (N-Triples; Turtle, whose `@prefix`
    directives may repeat)."""
    for chunk in rdf_chunks(dataset, base=base, at=at):
        yield chunk.serialize(format=rdflib_format, encoding="utf-8")


def ntriples_chunks(dataset: Dataset, *, at: dt.date | None = None,
                    base: str = DEFAULT_BASE) -> Iterator[bytes]:
    """N-Triples, a chunk at a time (`rdf_chunks`), as the bytes to send."""
    return _concatenated(dataset, "nt", at=at, base=base)


def turtle_chunks(dataset: Dataset, *, at: dt.date | None = None,
                  base: str = DEFAULT_BASE) -> Iterator[bytes]:
    """Turtle, a chunk at a time: rdflib's Turtle serializer grows faster than the graph
    (docs/export.md has the figures), so each chunk is serialised alone and the file is
    their concatenation, each starting with its `@prefix` lines (Turtle allows them
    anywhere) and each unit's triples grouped within its chunk."""
    return _concatenated(dataset, "turtle", at=at, base=base)


def write_ntriples(dataset: Dataset, out: BinaryIO, *, at: dt.date | None = None,
                   base: str = DEFAULT_BASE) -> None:
    """N-Triples (`ntriples_chunks`): the fastest of the three."""
    out.writelines(ntriples_chunks(dataset, at=at, base=base))


def write_turtle(dataset: Dataset, out: BinaryIO, *, at: dt.date | None = None,
                 base: str = DEFAULT_BASE) -> None:
    """Turtle (`turtle_chunks`)."""
    out.writelines(turtle_chunks(dataset, at=at, base=base))


#: The prefixes of a JSON-LD document's context.
_JSONLD_PREFIXES = ("org", "skos", "dcterms", "prov", "time", "foaf", "bomay", "xsd", "rdf")


def write_jsonld(dataset: Dataset, out: BinaryIO, *, at: dt.date | None = None,
                 base: str = DEFAULT_BASE) -> None:
    """JSON-LD, a chunk at a time: one `{"@context": ..., "@graph": [...]}` document whose
    node objects are those rdflib's JSON-LD serializer writes for each chunk, compacted
    with the one context (a node of two chunks is two node objects of one `@id`, which
    JSON-LD merges)."""
    context = {prefix: str(ns) for prefix, ns in _Builder(base).new_graph().namespaces()
               if prefix in _JSONLD_PREFIXES}
    out.write(b'{"@context": ' + json.dumps(context).encode() + b',\n"@graph": [')
    first = True
    for chunk in rdf_chunks(dataset, base=base, at=at):
        document = json.loads(chunk.serialize(format="json-ld", context=context))
        document.pop("@context", None)
        for node in document.pop("@graph", None) or ([document] if document else []):
            out.write((b"\n" if first else b",\n")
                      + json.dumps(node, ensure_ascii=False).encode("utf-8"))
            first = False
    out.write(b"\n]}\n")
