"""W3C ORG out (Turtle and JSON-LD), parsed back by rdflib and queried with SPARQL."""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, TIME

from graph import formats
from graph.formats import rdf
from graph.formats.rdf import DEFAULT_BASE, ORG

#: docs/export.md's example: what did a unit become, by which event, on which basis?
BECAME = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?event ?date ?successor ?name ?basis WHERE {
  ?event a org:ChangeEvent ;
         org:originalOrganization ?unit ;
         org:resultingOrganization ?successor ;
         dcterms:date ?date .
  OPTIONAL { ?event prov:used ?basis }
  ?successor skos:prefLabel ?name .
  FILTER (lang(?name) = "vi")
}
"""


def _parse(data: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data, format=fmt)


def test_turtle_counts_match_the_dataset(exported, seed_dataset):
    g = _parse(exported("turtle"), "turtle")
    assert len(set(g.subjects(RDF.type, ORG.Organization))) == len(seed_dataset.units)
    assert len(set(g.subjects(RDF.type, ORG.ChangeEvent))) == len(seed_dataset.events)
    part_of = [r for r in seed_dataset.relations if r.type == "PART_OF"]
    assert len(set(g.subject_objects(ORG.subOrganizationOf))) == len(
        {(r.source_id, r.target_id) for r in part_of})
    # Every unit is either a formal organization (never PART_OF) or a unit of one.
    formal = set(g.subjects(RDF.type, ORG.FormalOrganization))
    units = set(g.subjects(RDF.type, ORG.OrganizationalUnit))
    assert not formal & units and len(formal | units) == len(seed_dataset.units)
    assert len(set(g.subjects(RDF.type, ORG.Membership))) == len(seed_dataset.posts)
    assert len(set(g.subjects(RDF.type, DCTERMS.BibliographicResource))) == len(
        seed_dataset.documents)


def test_names_in_vietnamese_and_english(exported):
    g = _parse(exported("turtle"), "turtle")
    unit = URIRef(DEFAULT_BASE + "units/mc-to-chuc-noi-vu")
    labels = {label.language for label in g.objects(unit, SKOS.prefLabel)}
    assert {"vi", "en"} <= labels


def test_jsonld_holds_the_same_triples(exported):
    turtle, jsonld = _parse(exported("turtle"), "turtle"), _parse(exported("jsonld"), "json-ld")
    assert len(turtle) == len(jsonld) > 1000
    assert isomorphic(turtle, jsonld)


@pytest.mark.parametrize("fmt, parser", [("nt", "nt"), ("turtle", "turtle"),
                                         ("jsonld", "json-ld")])
@pytest.mark.parametrize("dataset", ["seed_dataset", "moved_dataset"])
@pytest.mark.parametrize("at", [None, dt.date(2018, 8, 7)])
def test_a_document_written_in_chunks_holds_the_whole_graph(exported, request, monkeypatch,
                                                            fmt, parser, dataset, at):
    source = request.getfixturevalue(dataset)
    whole = rdf.rdf_graph(formats.dataset_of(source, at), at=at)  # one graph, never chunked
    # Chunks of a few triples: each record's triples (and blank nodes) stay together.
    monkeypatch.setattr(rdf, "CHUNK_TRIPLES", 7)
    assert len(list(rdf.rdf_chunks(formats.dataset_of(source, at), at=at))) > len(whole) // 50
    back = _parse(exported(fmt, source, at=at), parser)
    assert len(back) == len(whole) > 100
    assert isomorphic(whole, back)


def test_ntriples_are_one_triple_a_line(exported, seed_dataset):
    data = exported("nt")
    lines = data.decode("utf-8").splitlines()
    assert len(lines) >= len(_parse(data, "nt")) and all(line.endswith(" .") for line in lines)


def test_what_did_a_unit_become(exported):
    g = _parse(exported("turtle"), "turtle")
    unit = URIRef(DEFAULT_BASE + "units/mc-ban-to-chuc")
    rows = list(g.query(BECAME, initBindings={"unit": unit}))
    assert {str(r.successor) for r in rows} == {DEFAULT_BASE + "units/mc-to-chuc-noi-vu"}
    assert {str(r.date) for r in rows} == {"2018-08-07"}
    assert {str(r.basis) for r in rows} == {DEFAULT_BASE + "documents/doc-18-nq-tw",
                                           DEFAULT_BASE + "documents/doc-19-nq-tw"}


def test_events_use_their_basis_documents(exported, seed_dataset):
    g = _parse(exported("turtle"), "turtle")
    used = {(str(e), str(d)) for e, d in g.subject_objects(PROV.used)}
    expected = {(DEFAULT_BASE + "events/" + e.id, DEFAULT_BASE + "documents/" + d)
                for e in seed_dataset.events for d in e.basis}
    assert used == expected


def test_relations_are_qualified_by_their_interval(exported, seed_dataset):
    g = _parse(exported("turtle"), "turtle")
    ended = [r for r in seed_dataset.relations if r.valid_to is not None]
    assert ended
    q = """PREFIX time: <http://www.w3.org/2006/time#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?s ?o ?end WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:object ?o ;
      time:hasTime/time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?end }"""
    found = {(str(s).rsplit("/", 1)[1], str(o).rsplit("/", 1)[1], str(end))
             for s, o, end in g.query(q)}
    assert found == {(r.source_id, r.target_id, r.valid_to.iso) for r in ended}


def test_posts_are_held_with_dates(exported, seed_dataset):
    g = _parse(exported("turtle"), "turtle")
    holders = {(str(p), str(post)) for p, post in g.subject_objects(ORG.holds)}
    assert len(holders) == len({(p.person_id, p.unit_id, p.role) for p in seed_dataset.posts})
    dated = [p for p in seed_dataset.posts if p.valid_from is not None]
    q = """PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX time: <http://www.w3.org/2006/time#>
    SELECT ?m WHERE { ?m a org:Membership ; org:memberDuring/time:hasBeginning ?b }"""
    assert len(list(g.query(q))) == len(dated)


def test_at_keeps_that_day_only_with_a_configured_base(exported, seed_dataset):
    day = dt.date(2018, 1, 1)
    g = _parse(exported("turtle", at=day, base="urn:bomay:"), "turtle")
    orgs = set(g.subjects(RDF.type, ORG.Organization))
    assert len(orgs) == sum(u.valid_at(day) for u in seed_dataset.units) < len(seed_dataset.units)
    assert all(str(o).startswith("urn:bomay:units/") for o in orgs)
    # The consolidation of 2018-08-07 has not happened yet on that day.
    assert URIRef("urn:bomay:units/mc-to-chuc-noi-vu") not in orgs
    assert (None, None, Literal("2018-01-01", datatype=rdflib.XSD.date)) in g


#: The names a unit had on a day, from the dated name nodes (docs/export.md).
NAME_ON = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX bomay: <http://127.0.0.1:8000/vocab#>
SELECT ?name WHERE {
  ?unit bomay:hasName ?n .
  ?n skos:prefLabel ?name ; time:hasTime ?t .
  ?t time:hasBeginning/time:inXSDDate|time:hasBeginning/time:inXSDgYear ?start .
  OPTIONAL { ?t time:hasEnd/time:inXSDDate ?end }
  FILTER (lang(?name) = "vi" && str(?start) <= ?day && (!bound(?end) || ?day < str(?end)))
}
"""


def _unit(unit_id: str) -> URIRef:
    return URIRef(DEFAULT_BASE + "units/" + unit_id)


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_the_whole_history_has_dated_names_and_areas(exported, moved_dataset, fmt):
    g = _parse(exported("turtle" if fmt == "turtle" else "jsonld", moved_dataset), fmt)
    vocab = rdflib.Namespace(DEFAULT_BASE + "vocab#")
    cell = _unit("pa-cb")
    for day, name in (("2012-06-01", "Chi bộ Sở Ngoại vụ"), ("2020-01-01", "Chi bộ Văn phòng")):
        rows = g.query(NAME_ON, initBindings={"unit": cell, "day": Literal(day)})
        assert [str(r.name) for r in rows] == [name]
    former = g.value(predicate=SKOS.prefLabel, object=Literal("Chi bộ Sở Ngoại vụ", lang="vi"))
    assert (former, RDF.type, vocab.UnitName) in g and (former, vocab.nameOf, cell) in g
    interval = g.value(former, TIME.hasTime)
    assert g.value(g.value(interval, TIME.hasEnd), TIME.inXSDDate) == Literal(
        "2015-01-01", datatype=XSD.date)
    # The current label stays the unit's own; a unit only moved has no name nodes.
    assert g.value(cell, SKOS.prefLabel) is not None
    assert set(g.objects(cell, SKOS.prefLabel)) == {Literal("Chi bộ Văn phòng", lang="vi"),
                                                    Literal("Party cell of the Office",
                                                            lang="en")}
    assert g.value(_unit("pa-sngv"), vocab.hasName) is None
    areas = {}
    for statement in g.subjects(RDF.type, vocab.DatedArea):
        assert g.value(statement, RDF.predicate) == vocab.area
        ends = g.value(g.value(statement, TIME.hasTime), TIME.hasEnd)
        areas[(g.value(statement, RDF.subject), g.value(statement, RDF.object))] = (
            str(g.value(ends, TIME.inXSDDate)) if ends else None)
    assert areas == {(_unit(u), _unit(a)): end for u in ("pa-cb", "pa-sngv")
                     for a, end in (("pa", "2025-07-01"), ("pb", None))}
    assert (_unit("pa-sngv"), vocab.area, _unit("pb")) in g


def test_a_day_labels_and_places_each_unit_as_it_was(exported, moved_dataset):
    vocab = rdflib.Namespace(DEFAULT_BASE + "vocab#")
    for day, name, area in ((dt.date(2012, 6, 1), "Chi bộ Sở Ngoại vụ", "pa"),
                            (dt.date(2026, 1, 1), "Chi bộ Văn phòng", "pb")):
        g = _parse(exported("turtle", moved_dataset, at=day), "turtle")
        cell = _unit("pa-cb")
        assert set(g.objects(cell, SKOS.prefLabel)) >= {Literal(name, lang="vi")}
        assert len([o for o in g.objects(cell, SKOS.prefLabel) if o.language == "vi"]) == 1
        assert set(g.objects(cell, vocab.area)) == {_unit(area)}
        assert set(g.objects(_unit("pa-sngv"), vocab.area)) == {_unit(area)}
        assert not set(g.subjects(RDF.type, vocab.UnitName))
        assert not set(g.subjects(RDF.type, vocab.DatedArea))
