"""The Cypher of `graph.neo4j.snapshot`: bulk reads of one generation, by lists of ids.

A snapshot (a scenario's base) asks about many units one by one; these queries answer a
whole neighbourhood of them at once (`UNWIND $ids`), each seeking its records by the
`(gen, id)`, `(gen, unit_id)` or `(gen, person_id)` index. They take the generation as
`$gen` instead of following the Meta pointer: a snapshot reads the generation it was made
on and checks, at the end of each read transaction, that the store's revision is still
the one it pinned (`snapshot:revision`). Like every query of the store they are constants
built from the fixed vocabulary (`graph.neo4j.vocabulary`); values travel as parameters.
"""

from __future__ import annotations

from graph.neo4j.vocabulary import ID_LABELS, LABELS, REL_PATTERN, _BY_ID, asof, projection

_REL_COLUMNS = ("source_id, type, target_id, valid_from, valid_to, note, source, seq")


def _rel_return(s: str, t: str) -> str:
    return (f"RETURN {s}.id AS source_id, type(r) AS type, {t}.id AS target_id, "
            "r.valid_from AS valid_from, r.valid_to AS valid_to, r.note AS note, "
            "r.source AS source, r.seq AS seq")


def snapshot_queries(q: dict[str, str]) -> None:
    """Register the snapshot's queries into `QUERIES` (`graph.neo4j.cypher._build`)."""
    units = "UNWIND $ids AS uid MATCH (u:Unit {gen: $gen, id: uid}) " + _BY_ID("u", "Unit")
    q["snapshot:revision"] = ("MATCH (m:Meta {key: 'current'}) "
                              "RETURN m.gen AS gen, m.revision AS revision, m.counts AS counts")
    q["snapshot:units"] = units + f"RETURN {projection('u', 'units')} AS p"
    # Every relation touching each unit, both directions, any type, any time: the facts of
    # `relations`/`parent`/`children`, and the next level of a neighbourhood's walk (the
    # sources of the incoming PART_OF relations).
    q["snapshot:relations"] = (
        units + "CALL (u) { "
        f"MATCH (u)-[r:{REL_PATTERN}]->(t:Unit) " + _rel_return("u", "t") + " UNION "
        f"MATCH (s:Unit)-[r:{REL_PATTERN}]->(u) " + _rel_return("s", "u") + " } "
        f"RETURN uid, {_REL_COLUMNS}")
    for name, label, column, table in (("functions", "Function", "unit_id", "functions"),
                                       ("headcounts", "Headcount", "unit_id", "headcounts"),
                                       ("posts_of_units", "Post", "unit_id", "posts"),
                                       ("posts_of_people", "Post", "person_id", "posts")):
        q[f"snapshot:{name}"] = (
            f"UNWIND $ids AS uid MATCH (x:{label} {{gen: $gen, {column}: uid}}) "
            f"USING INDEX x:{label}(gen, {column}) RETURN uid, {projection('x', table)} AS p")
    # A unit's events through its INPUT/OUTPUT links, as `events_of_unit` reads them.
    q["snapshot:events_of_units"] = (
        units + "MATCH (u)<-[:INPUT|OUTPUT]-(e:Event) "
        f"WITH DISTINCT uid, e RETURN uid, {projection('e', 'events')} AS p")
    # Former names: few rows a generation, read by one pass over the generation's names.
    q["snapshot:names"] = ("MATCH (n:UnitName {gen: $gen}) WHERE n.unit_id IN $ids "
                           f"RETURN n.unit_id AS uid, {projection('n', 'names')} AS p")
    for name, label, table in (("people", "Person", "people"), ("events", "Event", "events"),
                               ("documents", "Document", "documents")):
        q[f"snapshot:{name}_by_ids"] = (
            f"UNWIND $ids AS uid MATCH (x:{label} {{gen: $gen, id: uid}}) "
            + _BY_ID("x", label) + f"RETURN {projection('x', table)} AS p")
    # The ids of a generation's units and events, in one row each: a probe for an id the
    # generation does not hold (a scenario choosing a new id) is then answered without a query.
    q["snapshot:unit_ids"] = "MATCH (u:Unit {gen: $gen}) RETURN collect(u.id) AS ids"
    q["snapshot:event_ids"] = "MATCH (e:Event {gen: $gen}) RETURN collect(e.id) AS ids"
    # The explicit whole-generation reads (a snapshot names them: `Neo4jSnapshot.bulk_reads`).
    q["snapshot:all_units"] = (
        "MATCH (u:Unit {gen: $gen}) "
        "WHERE ($kind IS NULL OR u.kind = $kind) AND ($level IS NULL OR u.level = $level) "
        f"AND ($area IS NULL OR u.area = $area) AND {asof('u')} "
        f"RETURN {projection('u', 'units')} AS p LIMIT $cap")
    q["snapshot:all_relations"] = (
        f"MATCH (s:Unit {{gen: $gen}})-[r:{REL_PATTERN}]->(t:Unit) "
        f"WHERE ($types IS NULL OR type(r) IN $types) AND {asof('r')} " + _rel_return("s", "t")
        + " LIMIT $cap")

    # A whole table read in pages (`Neo4jSnapshot._table` above `BULK_ROWS` rows): the next
    # $page records after $after by the table's unique key (id or seq), sought and ordered
    # by the (gen, key) index, so each page costs its own rows, not the table's.
    for table, label in LABELS.items():
        key = "id" if label in ID_LABELS else "seq"
        q[f"page:{label}"] = (
            f"MATCH (n:{label} {{gen: $gen}}) USING INDEX n:{label}(gen, {key}) "
            f"WHERE n.{key} > $after WITH n ORDER BY n.{key} LIMIT $page "
            f"RETURN {projection('n', table)} AS p, n.{key} AS key")
    # A `units()` listing in pages (the generation holds more than `BULK_ROWS` units).
    q["page:units"] = (
        "MATCH (u:Unit {gen: $gen}) USING INDEX u:Unit(gen, id) WHERE u.id > $after "
        "AND ($kind IS NULL OR u.kind = $kind) AND ($level IS NULL OR u.level = $level) "
        f"AND ($area IS NULL OR u.area = $area) AND {asof('u')} "
        f"WITH u ORDER BY u.id LIMIT $page RETURN {projection('u', 'units')} AS p, u.id AS key")
    # The relations out of a page of units (every type, any time): the relations table in
    # pages of source units (the relations have no key of their own to page by).
    q["page:relations"] = (units + f"MATCH (u)-[r:{REL_PATTERN}]->(t:Unit) "
                           + _rel_return("u", "t"))
