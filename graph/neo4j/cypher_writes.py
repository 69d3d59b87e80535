"""The Cypher of the Neo4j store's schema and writes: constraints and indexes, generation
writes (`UNWIND $rows` batches of compact rows, links created with their records), the
map-row creates of a commit, counts, purges and the Meta swap, the change log. Part of
`graph.neo4j.cypher.QUERIES` (the one table of texts)."""

from __future__ import annotations

from graph.codec import TABLES
from graph.neo4j.records import node_columns
from graph.neo4j.vocabulary import (FULLTEXT_INDEX, ID_LABELS, LABELS, LINKS, REL_PATTERN,
                                    REL_TYPES, is_date)


def schema_queries(q: dict[str, str]) -> None:
    q["schema:meta"] = ("CREATE CONSTRAINT bomay_meta_key IF NOT EXISTS "
                        "FOR (m:Meta) REQUIRE m.key IS UNIQUE")
    q["schema:scenario"] = ("CREATE CONSTRAINT bomay_scenario_id IF NOT EXISTS "
                            "FOR (s:Scenario) REQUIRE s.id IS UNIQUE")
    q["schema:change"] = ("CREATE CONSTRAINT bomay_change_seq IF NOT EXISTS "
                          "FOR (c:Change) REQUIRE c.seq IS UNIQUE")
    for table, label in LABELS.items():
        key = "id" if label in ID_LABELS else "seq"
        q[f"schema:{label}:key"] = (
            f"CREATE CONSTRAINT bomay_{label.lower()}_gen_{key} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE (n.gen, n.{key}) IS UNIQUE")
        q[f"schema:{label}:gen"] = (f"CREATE INDEX bomay_{label.lower()}_gen IF NOT EXISTS "
                                    f"FOR (n:{label}) ON (n.gen)")
        for column in TABLES[table][1]:
            if is_date(table, column):  # range indexes on the first-day dates
                q[f"schema:{label}:{column}_day"] = (
                    f"CREATE INDEX bomay_{label.lower()}_{column}_day IF NOT EXISTS "
                    f"FOR (n:{label}) ON (n.{column}_day)")
    for label, prop in (("Function", "unit_id"), ("Headcount", "unit_id"), ("Post", "unit_id"),
                        ("Post", "person_id"), ("Unit", "area"), ("Unit", "kind"),
                        ("UnitName", "unit_id"), ("UnitName", "area")):
        q[f"schema:{label}:{prop}"] = (
            f"CREATE INDEX bomay_{label.lower()}_gen_{prop} IF NOT EXISTS "
            f"FOR (n:{label}) ON (n.gen, n.{prop})")
    for rel_type in REL_TYPES:
        q[f"schema:{rel_type}:valid_from_day"] = (
            f"CREATE INDEX bomay_{rel_type.lower()}_valid_from_day IF NOT EXISTS "
            f"FOR ()-[r:{rel_type}]-() ON (r.valid_from_day)")
    q["schema:fulltext"] = (
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        "FOR (n:Unit) ON EACH [n.search_words, n.abbr_key] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}")
    # Every property a record's node may carry, as a key of the database even before any
    # node has it (a dataset without plans, a plan with no adoption date): a query that
    # reads a key the database has never seen plans with an UnknownPropertyKeyWarning.
    q["schema:property_keys"] = "UNWIND $keys AS key CALL db.createProperty(key)"
    q["schema:await"] = "CALL db.awaitIndexes($seconds)"


def _link_to(rel_type: str, label: str, key: str, outgoing: bool, *, compact: str = "") -> str:
    """A unit subquery linking the node just created (`n`) to the `label` node whose id is
    `row.<key>` (one id, or each distinct id of a list). `compact`: the table whose
    compact rows (lists in `records.node_columns` order, the generation as `$gen`) the
    query reads instead of property maps."""
    if compact:
        value, gen = f"row[{node_columns(compact).index(key)}]", "$gen"
    else:
        value, gen = f"row.{key}", "row.gen"
    arrow = f"(n)-[:{rel_type}]->(x)" if outgoing else f"(x)-[:{rel_type}]->(n)"
    ids = f"coalesce({value}, [])" if key in ("inputs", "outputs", "basis") else f"[{value}]"
    return (f" CALL (n, row) {{ UNWIND {ids} AS xid WITH DISTINCT n, row, xid "
            f"MATCH (x:{label} {{gen: {gen}, id: xid}}) USING INDEX SEEK x:{label}(gen, id) "
            f"CREATE {arrow} }}")


#: The links of a record written in the query that creates it (the node at the other end
#: is written earlier: units, documents and people come first): label -> (rel type, other
#: label, key, outgoing). `IN_AREA` is written after every unit (an area may come later
#: in the file).
_LINKS_OF = {
    "Event": (("INPUT", "Unit", "inputs", True), ("OUTPUT", "Unit", "outputs", True),
              ("BASED_ON", "Document", "basis", True)),
    "Function": (("HAS_FUNCTION", "Unit", "unit_id", False),),
    "Headcount": (("HAS_HEADCOUNT", "Unit", "unit_id", False),),
    "Post": (("HOLDS", "Person", "person_id", False), ("AT", "Unit", "unit_id", True)),
}


def _attached(label: str, compact: str = "") -> str:
    return "".join(_link_to(*link, compact=compact) for link in _LINKS_OF.get(label, ()))


def load_queries(q: dict[str, str]) -> None:
    """The queries of a whole-generation load: compact rows (lists in `node_columns`
    order, the generation once as `$gen`), which cost the server (and the client) less
    than maps of the same properties. The map queries (`create:*`, `relate:*`) stay for
    a commit's few rows."""
    for table, label in LABELS.items():
        body = ", ".join(["gen: $gen"] + [f"{c}: row[{i}]"
                                          for i, c in enumerate(node_columns(table))])
        q[f"load:{label}"] = (f"UNWIND $rows AS row CREATE (n:{label} {{{body}}})"
                              + (" WITH n, row" if label in _LINKS_OF else "")
                              + _attached(label, compact=table))
    body = ", ".join(f"{c}: row[{i + 2}]" for i, c in enumerate(node_columns("relations")))
    for rel_type in REL_TYPES:
        q[f"load:relate:{rel_type}"] = (
            "UNWIND $rows AS row "
            "MATCH (s:Unit {gen: $gen, id: row[0]}) USING INDEX SEEK s:Unit(gen, id) "
            "MATCH (t:Unit {gen: $gen, id: row[1]}) USING INDEX SEEK t:Unit(gen, id) "
            f"CREATE (s)-[r:{rel_type} {{{body}}}]->(t) RETURN count(r) AS n")
    for name, (a_label, a_key, rel_type, b_label, b_key) in LINKS.items():
        q[f"load:link:{name}"] = (
            "UNWIND $rows AS row "
            f"MATCH (a:{a_label} {{gen: $gen, {a_key}: row[0]}}) USING INDEX SEEK a:{a_label}(gen, {a_key}) "
            f"MATCH (b:{b_label} {{gen: $gen, {b_key}: row[1]}}) USING INDEX SEEK b:{b_label}(gen, {b_key}) "
            f"CREATE (a)-[:{rel_type}]->(b)")


def write_queries(q: dict[str, str]) -> None:
    q["meta"] = ("OPTIONAL MATCH (m:Meta {key: 'current'}) "
                 "RETURN m.gen AS gen, m.revision AS revision, m.counts AS counts")
    q["lock_meta"] = ("MERGE (m:Meta {key: 'current'}) ON CREATE SET m.revision = 'empty' "
                      "SET m.lock = $gen RETURN m.gen AS gen, m.revision AS revision")
    q["swap_meta"] = ("MATCH (m:Meta {key: 'current'}) "
                      "SET m.gen = $gen, m.revision = $revision, m.updated = $updated, "
                      "m.schema = $schema, m.counts = $counts, "
                      "m.search_words_version = $search_words REMOVE m.lock")
    q["change_add"] = ("MERGE (k:Meta {key: 'changes'}) ON CREATE SET k.seq = 0 "
                       "SET k.seq = k.seq + 1 "
                       "CREATE (c:Change {seq: k.seq, when: $when, action: $action, what: $what, "
                       "who: $who, previous_revision: $previous, revision: $revision}) "
                       "RETURN c.seq AS seq")
    q["changes"] = ("MATCH (c:Change) RETURN c {.seq, .when, .action, .what, .who, "
                    ".previous_revision, .revision} AS c ORDER BY c.seq DESC "
                    "SKIP $offset LIMIT $limit")
    for label in LABELS.values():
        q[f"create:{label}"] = (f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"
                                + (" WITH n, row" if label in _LINKS_OF else "")
                                + _attached(label))
        q[f"count:{label}"] = f"MATCH (n:{label} {{gen: $gen}}) RETURN count(n) AS n"
        q[f"purge:{label}"] = (f"MATCH (n:{label} {{gen: $gen}}) WITH n LIMIT $limit "
                               f"DETACH DELETE n RETURN count(*) AS deleted")
        q[f"gc:{label}"] = (f"MATCH (n:{label}) WHERE n.gen IS NULL OR n.gen <> $gen "
                            f"WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted")
        q[f"wipe:{label}"] = (f"MATCH (n:{label}) WITH n LIMIT $limit "
                              f"DETACH DELETE n RETURN count(*) AS deleted")
    for rel_type in REL_TYPES:
        q[f"relate:{rel_type}"] = (
            "UNWIND $rows AS row "
            "MATCH (s:Unit {gen: $gen, id: row.source_id}) USING INDEX SEEK s:Unit(gen, id) "
            "MATCH (t:Unit {gen: $gen, id: row.target_id}) USING INDEX SEEK t:Unit(gen, id) "
            f"CREATE (s)-[r:{rel_type}]->(t) SET r = row.props RETURN count(r) AS n")
    q["count:relations"] = (f"MATCH (:Unit {{gen: $gen}})-[r:{REL_PATTERN}]->(:Unit) "
                            "RETURN count(r) AS n")
    for name, (a_label, a_key, rel_type, b_label, b_key) in LINKS.items():
        q[f"link:{name}"] = (
            "UNWIND $rows AS row "
            f"MATCH (a:{a_label} {{gen: $gen, {a_key}: row.a}}) USING INDEX SEEK a:{a_label}(gen, {a_key}) "
            f"MATCH (b:{b_label} {{gen: $gen, {b_key}: row.b}}) USING INDEX SEEK b:{b_label}(gen, {b_key}) "
            f"CREATE (a)-[:{rel_type}]->(b)")
    q["wipe:meta"] = "MATCH (n) WHERE n:Meta OR n:Scenario OR n:Change DETACH DELETE n"
    load_queries(q)
    search_words_queries(q)


def search_words_queries(q: dict[str, str]) -> None:
    """The queries of `graph.neo4j.search_migration`: the stored search words folded
    again, in batches in key order (values only as parameters)."""
    q["search_words:version"] = ("OPTIONAL MATCH (m:Meta {key: 'current'}) "
                                 "RETURN m.gen AS gen, m.search_words_version AS version")
    # a batch in key order after `$after`, with what its words are computed from
    q["search_words:units"] = (
        "MATCH (u:Unit {gen: $gen}) WHERE u.id > $after "
        "RETURN u.id AS key, coalesce(u.name, '') AS name, coalesce(u.name_en, '') AS name_en, "
        "coalesce(u.kind, '') AS kind, coalesce(u.abbr, '') AS abbr ORDER BY u.id LIMIT $limit")
    q["search_words:names"] = (
        "MATCH (n:UnitName {gen: $gen}) WHERE n.seq > $after "
        "RETURN n.seq AS key, coalesce(n.name, '') AS name, coalesce(n.name_en, '') AS name_en, "
        "'' AS kind, coalesce(n.abbr, '') AS abbr ORDER BY n.seq LIMIT $limit")
    # row: [key, search_words, abbr_key, name, name_en, abbr, kind] (a null word removes
    # it); a node whose texts changed since they were read (a commit) is left alone
    q["search_words:set_units"] = (
        "UNWIND $rows AS row MATCH (u:Unit {gen: $gen, id: row[0]}) "
        "USING INDEX u:Unit(gen, id) "
        "WHERE coalesce(u.name, '') = row[3] AND coalesce(u.name_en, '') = row[4] "
        "AND coalesce(u.abbr, '') = row[5] AND coalesce(u.kind, '') = row[6] "
        "SET u.search_words = row[1], u.abbr_key = row[2] RETURN count(u) AS n")
    q["search_words:set_names"] = (
        "UNWIND $rows AS row MATCH (n:UnitName {gen: $gen, seq: row[0]}) "
        "USING INDEX n:UnitName(gen, seq) "
        "WHERE coalesce(n.name, '') = row[3] AND coalesce(n.name_en, '') = row[4] "
        "AND coalesce(n.abbr, '') = row[5] "
        "SET n.search_words = row[1], n.abbr_key = row[2] RETURN count(n) AS n")
    q["search_words:done"] = ("MATCH (m:Meta {key: 'current'}) WHERE m.gen = $gen "
                              "SET m.search_words_version = $version RETURN m.gen AS gen")

