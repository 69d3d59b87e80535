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

from graph.codec import TABLES, cell_kind
from graph.model import RELATION_TYPES

# -- fixed vocabulary of the Cypher text ------------------------------------------------------
#: Dataset attribute -> node label, in write order (referenced nodes first).
_LABEL_OF: dict[str, str] = {
    "units": "Unit", "documents": "Document", "people": "Person", "events": "Event",
    "functions": "Function", "headcounts": "Headcount", "posts": "Post", "names": "UnitName",
    "plans": "Plan",
}
#: The labels of the tables the data contract has (every table but the relations).
LABELS: dict[str, str] = {t: label for t, label in _LABEL_OF.items() if t in TABLES}
_UNLABELLED = set(TABLES) - set(LABELS) - {"relations"}
assert not _UNLABELLED, f"graph.neo4j.cypher has no node label for {_UNLABELLED}"
#: The relationship types of domain relations (the data contract's whitelist).
REL_TYPES: tuple[str, ...] = ("PART_OF", "SERVES", "GUIDED_BY")
assert frozenset(REL_TYPES) == RELATION_TYPES, "REL_TYPES must follow graph.model.RELATION_TYPES"
REL_PATTERN = "|".join(REL_TYPES)
#: Labels whose records have an id; the others are keyed by (gen, seq).
ID_LABELS = ("Unit", "Document", "Person", "Event", "Plan")
#: Navigation links: name -> (from label, from key, rel type, to label, to key).
LINKS: dict[str, tuple[str, str, str, str, str]] = {
    "IN_AREA": ("Unit", "id", "IN_AREA", "Unit", "id"),
    "INPUT": ("Event", "id", "INPUT", "Unit", "id"),
    "OUTPUT": ("Event", "id", "OUTPUT", "Unit", "id"),
    "BASED_ON": ("Event", "id", "BASED_ON", "Document", "id"),
    "HAS_FUNCTION": ("Unit", "id", "HAS_FUNCTION", "Function", "seq"),
    "HAS_HEADCOUNT": ("Unit", "id", "HAS_HEADCOUNT", "Headcount", "seq"),
    "HOLDS": ("Person", "id", "HOLDS", "Post", "seq"),
    "AT": ("Post", "seq", "AT", "Unit", "id"),
}


def is_date(table: str, column: str) -> bool:
    """A partial-date column (stored as its text plus a first-day `<column>_day` Date)."""
    return cell_kind(table, column) == "date"


#: The full-text index of unit search: folded words (name, English name, id) and the
#: folded abbreviation, tokenised on whitespace only (the words are folded already; the
#: standard analyzer would drop English stop words such as "of").
FULLTEXT_INDEX = "bomay_unit_search"
#: Subtree queries with a bounded PART_OF path length exist for these bounds (a depth d
#: needs paths of d + 1 to count the children cut off); deeper asks use the unbounded one.
SUBTREE_BOUNDS = tuple(range(1, 9))
#: The version of this data model, written into the Meta node.
SCHEMA_VERSION = "2"


def asof(var: str) -> str:
    """`var` (a node or relationship with *_day properties) holds on $at (or $at is null)."""
    return (f"($at IS NULL OR (({var}.valid_from_day IS NULL OR {var}.valid_from_day <= $at) "
            f"AND ({var}.valid_to_day IS NULL OR $at < {var}.valid_to_day)))")


def projection(var: str, table: str) -> str:
    columns = TABLES[table][1]
    return var + " {" + ", ".join(f".{c}" for c in columns) + ", .seq}"


CURRENT = "MATCH (m:Meta {key: 'current'}) "


def _BY_ID(var: str, label: str) -> str:  # noqa: N802 - reads as a clause
    """An index hint: seek `var` by its unique (gen, id). Without it a plan cached while
    the store was empty (or small) scans the generation's `gen` index per row instead,
    which made a load time out at 6 provinces."""
    return f"USING INDEX {var}:{label}(gen, id) "
_REL_RETURN = ("RETURN s.id AS source_id, type(r) AS type, t.id AS target_id, "
               "r.valid_from AS valid_from, r.valid_to AS valid_to, r.note AS note, "
               "r.source AS source, r.seq AS seq")
_UNIT_FILTER = ("WHERE ($kind IS NULL OR u.kind = $kind) AND ($level IS NULL OR u.level = $level) "
                f"AND ($area IS NULL OR u.area = $area) AND {asof('u')} ")


def _schema(q: dict[str, str]) -> None:
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
                        ("Post", "person_id"), ("Unit", "area"), ("Unit", "kind")):
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
    q["schema:await"] = "CALL db.awaitIndexes($seconds)"


def _link_to(rel_type: str, label: str, key: str, outgoing: bool) -> str:
    """A unit subquery linking the node just created (`n`) to the `label` node whose id is
    `row.<key>` (one id, or each distinct id of a list)."""
    arrow = f"(n)-[:{rel_type}]->(x)" if outgoing else f"(x)-[:{rel_type}]->(n)"
    ids = f"coalesce(row.{key}, [])" if key in ("inputs", "outputs", "basis") else f"[row.{key}]"
    return (f" CALL (n, row) {{ UNWIND {ids} AS xid WITH DISTINCT n, row, xid "
            f"MATCH (x:{label} {{gen: row.gen, id: xid}}) USING INDEX x:{label}(gen, id) "
            f"CREATE {arrow} }}")


#: The links of a record written in the query that creates it (the node at the other end
#: is written earlier: units, documents and people come first). `IN_AREA` is written after
#: every unit (an area may come later in the file).
_ATTACHED_LINKS = {
    "Event": (_link_to("INPUT", "Unit", "inputs", True) + _link_to("OUTPUT", "Unit", "outputs", True)
              + _link_to("BASED_ON", "Document", "basis", True)),
    "Function": _link_to("HAS_FUNCTION", "Unit", "unit_id", False),
    "Headcount": _link_to("HAS_HEADCOUNT", "Unit", "unit_id", False),
    "Post": _link_to("HOLDS", "Person", "person_id", False) + _link_to("AT", "Unit", "unit_id", True),
}


def _writes(q: dict[str, str]) -> None:
    q["meta"] = ("OPTIONAL MATCH (m:Meta {key: 'current'}) "
                 "RETURN m.gen AS gen, m.revision AS revision, m.counts AS counts")
    q["lock_meta"] = ("MERGE (m:Meta {key: 'current'}) ON CREATE SET m.revision = 'empty' "
                      "SET m.lock = $gen RETURN m.gen AS gen, m.revision AS revision")
    q["swap_meta"] = ("MATCH (m:Meta {key: 'current'}) "
                      "SET m.gen = $gen, m.revision = $revision, m.updated = $updated, "
                      "m.schema = $schema, m.counts = $counts REMOVE m.lock")
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
                                + (" WITH n, row" if label in _ATTACHED_LINKS else "")
                                + _ATTACHED_LINKS.get(label, ""))
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
            "MATCH (s:Unit {gen: $gen, id: row.source_id}) USING INDEX s:Unit(gen, id) "
            "MATCH (t:Unit {gen: $gen, id: row.target_id}) USING INDEX t:Unit(gen, id) "
            f"CREATE (s)-[r:{rel_type}]->(t) SET r = row.props RETURN count(r) AS n")
    q["count:relations"] = (f"MATCH (:Unit {{gen: $gen}})-[r:{REL_PATTERN}]->(:Unit) "
                            "RETURN count(r) AS n")
    for name, (a_label, a_key, rel_type, b_label, b_key) in LINKS.items():
        q[f"link:{name}"] = (
            "UNWIND $rows AS row "
            f"MATCH (a:{a_label} {{gen: $gen, {a_key}: row.a}}) USING INDEX a:{a_label}(gen, {a_key}) "
            f"MATCH (b:{b_label} {{gen: $gen, {b_key}: row.b}}) USING INDEX b:{b_label}(gen, {b_key}) "
            f"CREATE (a)-[:{rel_type}]->(b)")
    q["wipe:meta"] = "MATCH (n) WHERE n:Meta OR n:Scenario OR n:Change DETACH DELETE n"


def _primitives(q: dict[str, str]) -> None:
    unit = projection("u", "units")
    q["unit"] = CURRENT + f"MATCH (u:Unit {{gen: m.gen, id: $id}}) {_BY_ID('u', 'Unit')}RETURN {unit} AS p"
    q["units_by_ids"] = (CURRENT + "MATCH (u:Unit {gen: m.gen}) " + _BY_ID("u", "Unit") + "WHERE u.id IN $ids "
                         f"RETURN {unit} AS p")
    q["units"] = CURRENT + "MATCH (u:Unit {gen: m.gen}) " + _UNIT_FILTER + f"RETURN {unit} AS p"
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
        "RETURN c.id AS kid, 1 AS how } "
        "RETURN uid, kid, how")
    # units listing: the page and its total, in one query
    q["unit_page"] = (CURRENT + "CALL (m) { MATCH (u:Unit {gen: m.gen}) " + _UNIT_FILTER +
                      "RETURN count(u) AS total } "
                      "CALL (m) { MATCH (u:Unit {gen: m.gen}) " + _UNIT_FILTER +
                      f"WITH u ORDER BY u.id SKIP $offset LIMIT $limit "
                      f"RETURN collect({projection('u', 'units')}) AS items }} "
                      "RETURN total, items")
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
    _schema(q)
    _writes(q)
    _primitives(q)
    _capabilities(q)
    _scenarios(q)
    return q


#: Every Cypher text the store ever sends, by name. Nothing else is ever sent.
QUERIES: dict[str, str] = _build()
