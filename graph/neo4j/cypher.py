"""Every Cypher text the Neo4j store sends, as named constants (`QUERIES`).

Built once at import time from fixed vocabularies only: node labels from `LABELS`,
relationship types from `REL_TYPES` (asserted equal to the data contract's) and `LINKS`,
column names from the data contract. Nothing here is ever derived from data: every
value (ids, names, dates, lists, row batches, limits, Lucene query strings) travels as a
`$parameter`.

Every read is anchored on `MATCH (m:Meta {key: 'current'})` and filters on `gen: m.gen`,
so that one query sees one generation. A fact is "on $at" when its first-day dates hold
`valid_from_day <= $at < valid_to_day` (open bounds absent); `$at = null` means any time.
"""

from __future__ import annotations


from graph.neo4j.cypher_search import search_queries
from graph.neo4j.cypher_snapshot import snapshot_queries
from graph.neo4j.cypher_commit import commit_queries
from graph.neo4j.cypher_answers import answer_queries, view_queries
from graph.neo4j.cypher_writes import schema_queries, write_queries
from graph.neo4j.vocabulary import (CURRENT, FULLTEXT_INDEX, ID_LABELS, LABELS, LINKS,
                                    REL_PATTERN, REL_TYPES, SCHEMA_VERSION, SUBTREE_BOUNDS,
                                    _BY_ID, asof, is_date, projection)

__all__ = ["CURRENT", "FULLTEXT_INDEX", "ID_LABELS", "LABELS", "LINKS", "QUERIES", "REL_PATTERN",
           "REL_TYPES", "SCHEMA_VERSION", "SUBTREE_BOUNDS", "asof", "is_date", "projection"]

_REL_RETURN = ("RETURN s.id AS source_id, type(r) AS type, t.id AS target_id, "
               "r.valid_from AS valid_from, r.valid_to AS valid_to, r.note AS note, "
               "r.source AS source, r.seq AS seq")
# An empty text is not stored (graph.neo4j.records): `coalesce` lets `area=''` match it.
_UNIT_CONDITIONS = ("($kind IS NULL OR coalesce(u.kind, '') = $kind) "
                    "AND ($level IS NULL OR coalesce(u.level, '') = $level) "
                    f"AND ($area IS NULL OR coalesce(u.area, '') = $area) AND {asof('u')} ")
_UNIT_FILTER = "WHERE " + _UNIT_CONDITIONS
# A page of the filtered units of m's generation in id order, read in the order of the
# (gen, id) index and stopped after $offset + $limit matches, instead of sorting the whole
# generation (a Top over every unit: 449-637 ms a page at national size). Neo4j 5 provides
# the index's order only with an equality on `gen` and a predicate on `id` (`>= ''` holds
# for every id, a text), when the ORDER BY names both properties, and only inside a
# `CALL (m)` (read after the Meta seek in the same pipeline, the order is not provided and
# the planner sorts again). The ORDER BY is the answer's order whatever the plan.
_UNIT_PAGE = ("CALL (m) { MATCH (u:Unit) USING INDEX u:Unit(gen, id) "
              "WHERE u.gen = m.gen AND u.id >= '' AND " + _UNIT_CONDITIONS +
              "WITH u ORDER BY u.gen, u.id SKIP $offset LIMIT $limit "
              f"RETURN collect({projection('u', 'units')}) AS items }} ")


def _primitives(q: dict[str, str]) -> None:
    unit = projection("u", "units")
    q["unit"] = CURRENT + f"MATCH (u:Unit {{gen: m.gen, id: $id}}) {_BY_ID('u', 'Unit')}RETURN {unit} AS p"
    q["units_by_ids"] = (CURRENT + "MATCH (u:Unit {gen: m.gen}) " + _BY_ID("u", "Unit") + "WHERE u.id IN $ids "
                         f"RETURN collect({unit}) AS ps")  # one row: no per-record cost
    q["units"] = CURRENT + "MATCH (u:Unit {gen: m.gen}) " + _UNIT_FILTER + f"RETURN {unit} AS p"
    # The units with a dated area (names.csv rows with an `area`) that an area listing
    # must correct (`graph.rules.relisted`): those a row places in $area, and those of
    # $area with such a row; each with its name rows. None: the listing by `area` is right.
    q["area_moved"] = (
        CURRENT + "CALL (m) { MATCH (n:UnitName {gen: m.gen, area: $area}) "
        "RETURN n.unit_id AS id UNION MATCH (u:Unit {gen: m.gen, area: $area}) "
        "WHERE EXISTS { MATCH (n:UnitName {gen: m.gen, unit_id: u.id}) "
        "WHERE n.area IS NOT NULL } RETURN u.id AS id } "
        "MATCH (u:Unit {gen: m.gen, id: id}) "
        f"RETURN collect([{unit}, COLLECT {{ MATCH (n:UnitName {{gen: m.gen, unit_id: u.id}}) "
        f"RETURN {projection('n', 'names')} }}]) AS rows")
    # The bodies naming no area (`graph.areas.blank_body`: $areas are the territorial
    # kinds), whatever their lifetime, and the units whose area names.csv dates: what an
    # area listing looks up by the PART_OF chain (`Neo4jStore.area_page`); one row, kept
    # per revision by the store.
    q["area_blank_bodies"] = (
        CURRENT + "CALL (m) { MATCH (u:Unit {gen: m.gen}) WHERE u.area IS NULL "
        "AND NOT coalesce(u.kind, '') IN $areas "
        "AND (u.level IS NULL OR u.level IN $areas) "
        f"RETURN collect({unit}) AS ps }} "
        "CALL (m) { MATCH (n:UnitName {gen: m.gen}) WHERE n.area IS NOT NULL "
        "RETURN collect(DISTINCT n.unit_id) AS dated } "
        "RETURN m.revision AS revision, ps, dated")
    q["any_unit"] = CURRENT + "MATCH (u:Unit {gen: m.gen}) RETURN u.id AS id LIMIT 1"
    q["parents"] = (CURRENT + "MATCH (s:Unit {gen: m.gen, id: $id})-[r:PART_OF]->(t:Unit) "
                    + _BY_ID("s", "Unit") + f"WHERE {asof('r')} RETURN t.id AS target_id, r.valid_to AS valid_to, "
                    "r.seq AS seq")
    q["children"] = (CURRENT + "MATCH (s:Unit)-[r:PART_OF]->(t:Unit {gen: m.gen, id: $id}) "
                     + _BY_ID("t", "Unit") + f"WHERE {asof('r')} RETURN DISTINCT s.id AS id")
    rel_filter = f"WHERE ($types IS NULL OR type(r) IN $types) AND {asof('r')} "
    q["relations_out"] = (CURRENT + f"MATCH (s:Unit {{gen: m.gen, id: $id}})-[r:{REL_PATTERN}]"
                          "->(t:Unit) " + _BY_ID("s", "Unit") + rel_filter + _REL_RETURN)
    q["relations_in"] = (CURRENT + f"MATCH (s:Unit)-[r:{REL_PATTERN}]->"
                         "(t:Unit {gen: m.gen, id: $id}) " + _BY_ID("t", "Unit") + rel_filter
                         + _REL_RETURN)
    q["relations_all"] = (CURRENT + f"MATCH (s:Unit {{gen: m.gen}})-[r:{REL_PATTERN}]->(t:Unit) "
                          + rel_filter + _REL_RETURN)
    q["relations_gen"] = (f"MATCH (s:Unit {{gen: $gen}})-[r:{REL_PATTERN}]->(t:Unit) "
                          + _REL_RETURN)
    event = projection("e", "events")
    q["event"] = CURRENT + f"MATCH (e:Event {{gen: m.gen, id: $id}}) {_BY_ID('e', 'Event')}RETURN {event} AS p"
    q["events"] = (CURRENT + "MATCH (e:Event {gen: m.gen}) "
                   "WHERE ($unit IS NULL OR $unit IN e.inputs OR $unit IN e.outputs) "
                   "AND ($event_type IS NULL OR e.type = $event_type) "
                   "AND ($basis IS NULL OR $basis IN e.basis) "
                   "AND ($date_from IS NULL OR e.date_day >= $date_from) "
                   "AND ($date_to IS NULL OR e.date_day <= $date_to) "
                   f"RETURN {event} AS p")
    # The events of one unit through the INPUT/OUTPUT links (no scan of every event).
    q["events_of_unit"] = (CURRENT + "MATCH (u:Unit {gen: m.gen, id: $unit})<-[:INPUT|OUTPUT]-"
                           "(e:Event) " + _BY_ID("u", "Unit") +
                           "WHERE ($event_type IS NULL OR e.type = $event_type) "
                           "AND ($basis IS NULL OR $basis IN e.basis) "
                           "AND ($date_from IS NULL OR e.date_day >= $date_from) "
                           "AND ($date_to IS NULL OR e.date_day <= $date_to) "
                           f"RETURN DISTINCT {event} AS p")
    q["functions"] = (CURRENT + "MATCH (f:Function {gen: m.gen}) "
                      f"WHERE ($unit IS NULL OR f.unit_id = $unit) AND {asof('f')} "
                      f"RETURN {projection('f', 'functions')} AS p")
    q["headcounts"] = (CURRENT + "MATCH (h:Headcount {gen: m.gen}) "
                       "WHERE ($unit IS NULL OR h.unit_id = $unit) "
                       f"RETURN {projection('h', 'headcounts')} AS p")
    q["posts"] = (CURRENT + "MATCH (p:Post {gen: m.gen}) "
                  "WHERE ($unit IS NULL OR p.unit_id = $unit) "
                  f"AND ($person IS NULL OR p.person_id = $person) AND {asof('p')} "
                  f"RETURN {projection('p', 'posts')} AS p")
    q["person"] = (CURRENT + "MATCH (p:Person {gen: m.gen, id: $id}) " + _BY_ID("p", "Person") +
                   f"RETURN {projection('p', 'people')} AS p")
    q["people"] = (CURRENT + "MATCH (p:Person {gen: m.gen}) "
                   f"RETURN {projection('p', 'people')} AS p")
    q["document"] = (CURRENT + "MATCH (d:Document {gen: m.gen, id: $id}) " + _BY_ID("d", "Document") +
                     f"RETURN {projection('d', 'documents')} AS p")
    q["documents"] = (CURRENT + "MATCH (d:Document {gen: m.gen}) "
                      f"RETURN {projection('d', 'documents')} AS p")
    for table, label in LABELS.items():
        q[f"all:{label}"] = f"MATCH (n:{label} {{gen: $gen}}) RETURN {projection('n', table)} AS p"


def _capabilities(q: dict[str, str]) -> None:
    """The reads that walk many units, each one query answered inside Neo4j."""
    unit = projection("d", "units")
    figures = ("COLLECT { MATCH (d)-[:HAS_HEADCOUNT]->(h:Headcount) "
               "WHERE $at IS NULL OR h.date_day <= $at "
               f"RETURN {projection('h', 'headcounts')} }} AS figures")
    # subtree: every unit reachable down PART_OF paths whose every relationship and every
    # unit below the root holds on $at; the last-but-one node of the path is the parent.
    walk = ("WHERE all(r IN relationships(p) WHERE {r}) AND all(n IN tail(nodes(p)) WHERE {n}) "
            .format(r=asof("r"), n=asof("n")))
    for bound in (*SUBTREE_BOUNDS, None):
        hops = f"*0..{bound}" if bound is not None else "*0.."
        q[f"subtree:{bound or 'all'}"] = (
            CURRENT + "MATCH (root:Unit {gen: m.gen, id: $id}) " + _BY_ID("root", "Unit") +
            f"MATCH p = (root)<-[:PART_OF{hops}]-(d:Unit) " + walk +
            "WITH d, length(p) AS level, nodes(p) AS path "
            "RETURN d.id AS id, level, CASE WHEN level = 0 THEN null ELSE path[-2].id END "
            f"AS parent, {unit} AS p, " + figures)
    q["ancestors"] = (CURRENT + "MATCH p = (u:Unit {gen: m.gen, id: $id})-[:PART_OF*1..]->(a:Unit) "
                      + _BY_ID("u", "Unit") + "WHERE all(r IN relationships(p) WHERE " + asof("r") + ") "
                      "RETURN a.id AS id, length(p) AS level ORDER BY level")
    q["roots"] = (CURRENT + f"MATCH (u:Unit {{gen: m.gen}}) WHERE {asof('u')} "
                  "AND NOT EXISTS { MATCH (u)-[r:PART_OF]->(:Unit) WHERE " + asof("r") + " } "
                  "RETURN u.id AS id ORDER BY id")
    q["figures"] = (CURRENT + "MATCH (d:Unit {gen: m.gen, id: $id}) " + _BY_ID("d", "Unit") + "RETURN " + figures)
    # scope, one level at a time: the PART_OF children and the units in the area of each
    # unit of the frontier (how = 0 / 1, so that the caller orders them as the default does).
    q["scope_level"] = (
        CURRENT + "UNWIND $ids AS uid MATCH (t:Unit {gen: m.gen, id: uid}) " + _BY_ID("t", "Unit") +
        "CALL (t, m) { MATCH (c:Unit)-[r:PART_OF]->(t) WHERE " + asof("r") + " "
        "RETURN c.id AS kid, 0 AS how "
        "UNION MATCH (c:Unit {gen: m.gen, area: t.id}) WHERE " + asof("c") + " "
        # ... less those its name row on $at places elsewhere, plus those it places here
        "AND ($at IS NULL OR NOT EXISTS { MATCH (n:UnitName {gen: m.gen, unit_id: c.id}) "
        "WHERE n.area IS NOT NULL AND n.area <> t.id AND " + asof("n") + " }) "
        "RETURN c.id AS kid, 1 AS how "
        "UNION MATCH (n:UnitName {gen: m.gen, area: t.id}) WHERE $at IS NOT NULL AND "
        + asof("n") + " MATCH (c:Unit {gen: m.gen, id: n.unit_id}) WHERE " + asof("c") + " "
        "RETURN c.id AS kid, 1 AS how } "
        "RETURN collect([uid, kid, how]) AS rows")  # one row: no per-record cost
    # units listing: the page and its total, in one query
    q["unit_page"] = (CURRENT + "CALL (m) { MATCH (u:Unit {gen: m.gen}) " + _UNIT_FILTER +
                      "RETURN count(u) AS total } " + _UNIT_PAGE + "RETURN total, items")
    # the page alone and the count alone (kept per revision by the store: a listing's pages
    # share one count, which scans every unit of the generation)
    q["unit_count"] = (CURRENT + "MATCH (u:Unit {gen: m.gen}) " + _UNIT_FILTER +
                       "RETURN m.revision AS revision, count(u) AS total")
    q["unit_page_items"] = CURRENT + _UNIT_PAGE + "RETURN items"  # one row: no per-record cost
    # stats by aggregation, nationally or over the units of a scope ($ids, by index)
    for where, match_units, match_posts in (
            ("all", "MATCH (u:Unit {gen: m.gen}) WHERE " + asof("u") + " ",
             "MATCH (p:Post {gen: m.gen}) WHERE " + asof("p") + " "),
            ("ids", "UNWIND $ids AS uid MATCH (u:Unit {gen: m.gen, id: uid}) " + _BY_ID("u", "Unit") + "WHERE "
             + asof("u") + " ",
             "UNWIND $ids AS uid MATCH (u:Unit {gen: m.gen, id: uid}) " + _BY_ID("u", "Unit") + "WHERE " + asof("u") +
             " MATCH (p:Post {gen: m.gen, unit_id: uid}) WHERE " + asof("p") + " ")):
        q[f"stats_units:{where}"] = (CURRENT + match_units +
                                     "RETURN u.kind AS kind, u.level AS level, count(*) AS n")
        # a unit's figure on $at: its latest approved one dated on or before $at, else its
        # latest actual one (graph.rules.headcount_on): latest by first day, precision, order
        q[f"stats_headcount:{where}"] = (
            CURRENT + match_units +
            "CALL (u) { MATCH (u)-[:HAS_HEADCOUNT]->(h:Headcount) "
            "WHERE $at IS NULL OR h.date_day <= $at "
            "RETURN h.headcount AS figure "
            "ORDER BY CASE WHEN h.basis = 'actual' THEN 0 ELSE 1 END DESC, h.date_day DESC, "
            "h.date_prec DESC, h.seq DESC LIMIT 1 } "
            "RETURN sum(figure) AS total, count(figure) AS with_figure")
        # people holding posts there on $at, each holder's posts on $at counted everywhere
        q[f"stats_people:{where}"] = (
            CURRENT + match_posts + "WITH DISTINCT m, p.person_id AS pid "
            "CALL (pid, m) { MATCH (x:Post {gen: m.gen, person_id: pid}) WHERE " + asof("x") +
            " RETURN count(x) AS n } "
            "WITH pid, n ORDER BY pid "
            "WITH count(pid) AS holders, collect(CASE WHEN n > 1 THEN [pid, n] END) AS many "
            "RETURN holders, size(many) AS concurrent, many[..$sample] AS sample")
    # search: Lucene narrows, the caller ranks
    q["search"] = (
        f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $lucene) YIELD node, score "
        "MATCH (m:Meta {key: 'current'}) WITH node AS u, score, m WHERE u.gen = m.gen AND "
        + asof("u") + " "
        f"WITH u, score ORDER BY score DESC LIMIT $cap RETURN {projection('u', 'units')} AS p")


def _scenarios(q: dict[str, str]) -> None:
    q["scenario_lock"] = ("MERGE (k:Meta {key: 'scenarios'}) SET k.lock = $token "
                          "WITH k OPTIONAL MATCH (s:Scenario {id: $id}) RETURN s.body AS body")
    q["scenario_save"] = "MERGE (s:Scenario {id: $id}) SET s.body = $body"
    q["scenario_get"] = "MATCH (s:Scenario {id: $id}) RETURN s.body AS body"
    q["scenario_list"] = "MATCH (s:Scenario) RETURN s.id AS id, s.body AS body"
    q["scenario_delete"] = "MATCH (s:Scenario {id: $id}) DELETE s RETURN count(*) AS n"


def _build() -> dict[str, str]:
    q: dict[str, str] = {}
    schema_queries(q)
    write_queries(q)
    _primitives(q)
    _capabilities(q)
    answer_queries(q)  # graph.neo4j.cypher_answers: one query per answer
    view_queries(q)
    _scenarios(q)
    commit_queries(q)  # graph.neo4j.cypher_commit: a scenario commit written in place
    snapshot_queries(q)  # graph.neo4j.cypher_snapshot: a scenario base's bulk reads
    search_queries(q)  # graph.neo4j.cypher_search: unit search, former names, typos
    return q


#: Every Cypher text the store ever sends, by name. Nothing else is ever sent.
QUERIES: dict[str, str] = _build()
