"""The Cypher of the Neo4j store's answer-sized reads: one query for what an API answer
would otherwise ask unit by unit (the sourced subtree, the size of a tree, the parents or
headcounts of a page of units, a unit's former names, the plans).

Part of `graph.neo4j.cypher.QUERIES` (the one table of texts), built from the fixed
vocabulary only; every value is a `$parameter`. Rows are compact lists of the columns the
answer shows (dates as their stored text), not property maps: the driver decodes a
list faster than a map, and a subtree is thousands of rows (`graph.neo4j.answers`
shapes them). The walks are quantified path patterns with the as-of predicates inside
the pattern, so that Neo4j prunes a relationship or a unit not on `$at` while expanding
instead of filtering whole paths afterwards (measured: fewer db hits, ~2-3x faster).
"""

from __future__ import annotations

from graph.neo4j.vocabulary import CURRENT, REL_PATTERN, SUBTREE_BOUNDS, _BY_ID, asof, projection

#: The unit columns of a subtree row, after [id, parent id, level]; `graph.neo4j.answers`
#: reads them by position.
UNIT_COLUMNS = ("name", "name_en", "abbr", "kind", "level", "area", "valid_from", "valid_to",
                "note", "source")

# A unit's figure on $at (graph.rules.headcount_on): its latest approved one dated on or
# before $at, else its latest actual one; "latest" as headcount_order_key orders them
# (first day, precision, then dataset order). The stats aggregation uses the same order.
_FIGURE_ORDER = ("ORDER BY CASE WHEN h.basis = 'actual' THEN 0 ELSE 1 END DESC, "
                 "h.date_day DESC, h.date_prec DESC, h.seq DESC LIMIT 1")


def _down(start: str, bound: int | None, *, units_on_at: bool) -> str:
    """A PART_OF walk down from `start` to `d` (0 to `bound` hops; None: any), every
    relationship on $at (and every unit below the start, when `units_on_at`); `r` is the
    list of the path's relationships (`last(r)` the one to `d`'s parent)."""
    hops = "{0,}" if bound is None else f"{{0,{bound}}}"
    node = f"(n:Unit WHERE {asof('n')})" if units_on_at else "(:Unit)"
    return f"({start}) (()<-[r:PART_OF WHERE {asof('r')}]-{node}){hops} (d:Unit) "


def _subtree(bound: int | None, *, within: str = "") -> str:
    """The subtree answer walked `bound` levels down; `within`: a condition on `counted`
    under which the walk runs at all (else no rows)."""
    return (
        "CALL (root) { MATCH (root)-[x:PART_OF]->(t:Unit) WHERE " + asof("x") + " "
        "RETURN collect([t.id, x.seq, x.valid_from_day, x.source]) AS up } "
        "CALL (root" + (", counted" if within else "") + ") { "
        + (f"WITH root WHERE {within} " if within else "") + "MATCH " + _down("root", bound, units_on_at=True) +
        "WITH d, r, last(r) AS last "
        "RETURN collect([d.id, endNode(last).id, size(r), "
        + ", ".join(f"d.{c}" for c in UNIT_COLUMNS) +
        ", last.source, last.valid_from_day, last.seq, "
        "COLLECT { MATCH (d)-[:HAS_HEADCOUNT]->(h:Headcount) WHERE h.date_day <= $at "
        "RETURN [h.headcount, h.date, h.basis, h.source] " + _FIGURE_ORDER + " }]) AS rows } "
        "CALL (m, rows) { MATCH (n:UnitName {gen: m.gen}) "
        "WHERE n.unit_id IN [row IN rows | row[0]] AND " + asof("n") + " "
        "RETURN collect([n.unit_id, n.name, n.name_en, n.abbr, n.valid_from_day, n.seq, n.area]) "
        "AS names } ")


def answer_queries(q: dict[str, str]) -> None:
    for bound in (*SUBTREE_BOUNDS, None):
        suffix = bound if bound is not None else "all"
        # The subtree of GET /units/{id}/subtree in one query and one row: the root's PART_OF
        # relations on $at (its parent and that relation's source), every unit reached
        # (id, parent, level, the unit columns, the source, first day and order of the
        # relation to its parent, its figure on $at) and the former names on $at of them.
        q[f"answer:subtree:{suffix}"] = (
            CURRENT + "MATCH (root:Unit {gen: m.gen, id: $id}) " + _BY_ID("root", "Unit") +
            _subtree(bound) + "RETURN m.revision AS revision, up, rows, names")
        # The same answer under the route's size bound, in one query: first the count of
        # `answer:units_under` (relationships on $at down `bound - 1` levels, up to
        # $limit = cap + 1: the bound's own walk, stopped past the cap), then the answer's
        # walk only when that count is within $cap (else no rows; `counted` is the count).
        # One round trip, and a refused tree is never read.
        q[f"answer:subtree_within:{suffix}"] = (
            CURRENT + "MATCH (root:Unit {gen: m.gen, id: $id}) " + _BY_ID("root", "Unit") +
            ("CALL (root) { RETURN count(root) AS counted } " if bound == 1  # depth 0: the root
             else "CALL (root) { MATCH "
             + _down("root", bound - 1 if bound is not None else None, units_on_at=False)
             + "WITH DISTINCT d LIMIT $limit RETURN count(d) AS counted } ")
            + _subtree(bound, within="counted <= $cap") +
            "RETURN m.revision AS revision, counted, up, rows, names")
        # How many units the trees under $roots hold down `bound` levels, up to $limit: the
        # walk of `children` (relationships on $at; the units themselves are not checked).
        q[f"answer:units_under:{suffix}"] = (
            CURRENT + "CALL (m) { UNWIND $roots AS rid MATCH (root:Unit {gen: m.gen, id: rid}) "
            + _BY_ID("root", "Unit") + "RETURN collect(root) AS roots } "
            "CALL (roots) { UNWIND roots AS root MATCH " + _down("root", bound, units_on_at=False)
            + "WITH DISTINCT d LIMIT $limit RETURN count(d) AS n } "
            "RETURN m.revision AS revision, size(roots) AS found, n")
    # Deeper than the bounded texts: every path, each unit at its shortest (its BFS level).
    q["answer:units_under:deep"] = (
        CURRENT + "CALL (m) { UNWIND $roots AS rid MATCH (root:Unit {gen: m.gen, id: rid}) "
        + _BY_ID("root", "Unit") + "RETURN collect(root) AS roots } "
        "CALL (roots) { UNWIND roots AS root MATCH " + _down("root", None, units_on_at=False)
        + "WITH d, min(size(r)) AS level WHERE level <= $depth "
        "WITH d LIMIT $limit RETURN count(d) AS n } "
        "RETURN m.revision AS revision, size(roots) AS found, n")
    # The PART_OF relations on $at of each of $ids (graph.neo4j.store._parent_of picks).
    q["answer:parents"] = (
        CURRENT + "UNWIND $ids AS uid MATCH (s:Unit {gen: m.gen, id: uid}) " + _BY_ID("s", "Unit") +
        "WITH uid, COLLECT { MATCH (s)-[r:PART_OF]->(t:Unit) WHERE " + asof("r") + " "
        "RETURN [t.id, r.valid_to, r.seq] } AS up "
        "RETURN collect([uid, up]) AS rows")  # one row: the driver's cost is per record
    # The figure on $at of each of $ids (at most one each).
    q["answer:headcounts"] = (
        CURRENT + "UNWIND $ids AS uid MATCH (u:Unit {gen: m.gen, id: uid}) " + _BY_ID("u", "Unit") +
        "WITH uid, COLLECT { MATCH (u)-[:HAS_HEADCOUNT]->(h:Headcount) "
        "WHERE $at IS NULL OR h.date_day <= $at "
        f"RETURN {projection('h', 'headcounts')} " + _FIGURE_ORDER + " } AS fig "
        "RETURN collect([uid, fig]) AS rows")
    # the events of a set of units through their INPUT/OUTPUT links, dated in the bounds
    q["answer:events_touching"] = (
        CURRENT + "UNWIND $ids AS uid MATCH (u:Unit {gen: m.gen, id: uid}) " + _BY_ID("u", "Unit") +
        "MATCH (u)<-[:INPUT|OUTPUT]-(e:Event) "
        "WHERE ($date_from IS NULL OR e.date_day >= $date_from) "
        "AND ($date_to IS NULL OR e.date_day <= $date_to) "
        f"WITH DISTINCT e RETURN collect({projection('e', 'events')}) AS ps")
    q["answer:unit_names"] = (CURRENT + "MATCH (n:UnitName {gen: m.gen}) WHERE n.unit_id = $id "
                              f"RETURN {projection('n', 'names')} AS p")
    q["answer:plans"] = CURRENT + f"MATCH (n:Plan {{gen: m.gen}}) RETURN {projection('n', 'plans')} AS p"


def _rel(start: str, end: str) -> str:
    """A relationship `r` from `start` to `end` as the map `graph.neo4j.records.relation`
    reads (the rows of `relations_out` / `relations_in`)."""
    return (f"{{source_id: {start}.id, type: type(r), target_id: {end}.id, "
            "valid_from: r.valid_from, valid_to: r.valid_to, note: r.note, source: r.source, "
            "seq: r.seq}")


def view_queries(q: dict[str, str]) -> None:
    """`answer:unit_view`: everything one unit's answers on $at read (graph.neo4j.unit_view),
    each list the rows of the primitive query it stands for: its relations on $at both
    ways, figures dated up to $at, posts on $at, the posts on $at of their holders and the
    holders, its events, functions on $at, former names, the plans, and the units those
    name (relation ends but children, event units, units of the holders' posts)."""
    unit = projection("o", "units")
    q["answer:unit_view"] = (
        CURRENT + "MATCH (u:Unit {gen: m.gen, id: $id}) " + _BY_ID("u", "Unit") +
        "WITH m, u, COLLECT { MATCH (p:Post {gen: m.gen, unit_id: $id}) WHERE " + asof("p") +
        f" RETURN {projection('p', 'posts')} }} AS posts "
        "WITH m, u, posts, COLLECT { UNWIND posts AS p RETURN DISTINCT p.person_id } AS pids "
        # the units the answers name: the unit, its relations' other ends (not its
        # children: only their ids are asked), its events' units, its holders' posts' units
        "CALL (m, u, pids) { RETURN u AS o "
        f"UNION MATCH (u)-[r:{REL_PATTERN}]-(o:Unit) WHERE {asof('r')} "
        "AND (startNode(r) = u OR NOT r:PART_OF) RETURN o "
        "UNION MATCH (u)<-[:INPUT|OUTPUT]-(:Event)-[:INPUT|OUTPUT]->(o:Unit) RETURN o "
        "UNION UNWIND pids AS pid MATCH (x:Post {gen: m.gen, person_id: pid}) WHERE " + asof("x") +
        " MATCH (x)-[:AT]->(o:Unit) RETURN o } "
        f"WITH m, u, posts, pids, collect({unit}) AS refs "
        f"RETURN {projection('u', 'units')} AS unit, refs, "
        f"COLLECT {{ MATCH (u)-[r:{REL_PATTERN}]->(t:Unit) WHERE {asof('r')} "
        f"RETURN {_rel('u', 't')} }} AS out, "
        f"COLLECT {{ MATCH (s:Unit)-[r:{REL_PATTERN}]->(u) WHERE {asof('r')} "
        f"RETURN {_rel('s', 'u')} }} AS in, "
        "COLLECT { MATCH (u)-[:HAS_HEADCOUNT]->(h:Headcount) WHERE $at IS NULL OR h.date_day <= $at "
        f"RETURN {projection('h', 'headcounts')} }} AS figures, "
        "posts, pids, "
        "COLLECT { UNWIND pids AS pid MATCH (x:Post {gen: m.gen, person_id: pid}) WHERE "
        + asof("x") + f" RETURN {projection('x', 'posts')} }} AS held, "
        "COLLECT { UNWIND pids AS pid MATCH (x:Person {gen: m.gen, id: pid}) "
        + _BY_ID("x", "Person") + f"RETURN {projection('x', 'people')} }} AS people, "
        "COLLECT { MATCH (u)<-[:INPUT|OUTPUT]-(e:Event) "
        f"RETURN DISTINCT {projection('e', 'events')} }} AS events, "
        "COLLECT { MATCH (f:Function {gen: m.gen, unit_id: $id}) WHERE " + asof("f") +
        f" RETURN {projection('f', 'functions')} }} AS functions, "
        "COLLECT { MATCH (n:UnitName {gen: m.gen}) WHERE n.unit_id = $id "
        f"RETURN {projection('n', 'names')} }} AS names, "
        f"COLLECT {{ MATCH (n:Plan {{gen: m.gen}}) RETURN {projection('n', 'plans')} }} AS plans")
