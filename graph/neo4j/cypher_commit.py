"""The Cypher of a scenario commit written in place (`graph.neo4j.commit`): the Meta lock,
the records a change set names looked up by their unit, deletes by key, in-place unit
updates, the next free `seq` of each table, the neighbours of a new event in date order,
and the Meta update. The records themselves are created by the generation writes'
`create:*`, `relate:*` and `link:*` queries (one text per kind of record, so that a
committed record cannot differ from a loaded one). Part of `graph.neo4j.cypher.QUERIES`."""

from __future__ import annotations

from graph.neo4j.vocabulary import LABELS, REL_PATTERN, projection

#: The fact labels looked up by `unit_id` (the tables of `ChangeSet` keyed by content).
FACT_LABELS = {"functions": "Function", "headcounts": "Headcount", "posts": "Post",
               "names": "UnitName"}

_REL_ROW = ("s.id AS source_id, type(r) AS type, t.id AS target_id, "
            "r.valid_from AS valid_from, r.valid_to AS valid_to, r.note AS note, "
            "r.source AS source, r.seq AS seq")


def commit_queries(q: dict[str, str]) -> None:
    # The write lock on the Meta node first: a concurrent load or commit waits for it.
    q["commit:lock"] = ("MATCH (m:Meta {key: 'current'}) SET m.lock = $token "
                        "RETURN m.gen AS gen, m.revision AS revision, m.counts AS counts, "
                        "m.seqs AS seqs")
    q["commit:meta"] = ("MATCH (m:Meta {key: 'current'}) SET m.revision = $revision, "
                        "m.updated = $updated, m.counts = $counts, m.seqs = $seqs "
                        "REMOVE m.lock")
    for label in LABELS.values():
        q[f"commit:max:{label}"] = f"MATCH (n:{label} {{gen: $gen}}) RETURN max(n.seq) AS n"
    q["commit:max:relations"] = (f"MATCH (:Unit {{gen: $gen}})-[r:{REL_PATTERN}]->(:Unit) "
                                 "RETURN max(r.seq) AS n")
    for table, label in FACT_LABELS.items():
        q[f"commit:find:{label}"] = (
            f"UNWIND $ids AS uid MATCH (n:{label} {{gen: $gen, unit_id: uid}}) "
            f"RETURN {projection('n', table)} AS p")
        q[f"commit:delete:{label}"] = (
            f"UNWIND $seqs AS s MATCH (n:{label} {{gen: $gen, seq: s}}) "
            "DETACH DELETE n RETURN count(*) AS n")
    q["commit:find:relations"] = (
        f"UNWIND $ids AS sid MATCH (s:Unit {{gen: $gen, id: sid}})-[r:{REL_PATTERN}]->(t:Unit) "
        f"USING INDEX s:Unit(gen, id) RETURN {_REL_ROW}")
    q["commit:delete:relations"] = (
        "UNWIND $rows AS row MATCH (s:Unit {gen: $gen, id: row.source_id}) "
        "USING INDEX s:Unit(gen, id) "
        f"MATCH (s)-[r:{REL_PATTERN}]->(t:Unit {{gen: $gen, id: row.target_id}}) "
        "WHERE type(r) = row.type AND r.seq = row.seq DELETE r RETURN count(*) AS n")
    q["commit:delete:Event"] = ("UNWIND $ids AS eid MATCH (e:Event {gen: $gen, id: eid}) "
                                "USING INDEX e:Event(gen, id) DETACH DELETE e "
                                "RETURN count(*) AS n")
    # A unit keeps its node (the links to it stay) and its seq; its own IN_AREA is redone.
    q["commit:update:Unit"] = (
        "UNWIND $rows AS row MATCH (u:Unit {gen: $gen, id: row.id}) USING INDEX u:Unit(gen, id) "
        "WITH u, row, u.seq AS seq SET u = row SET u.seq = seq "
        "WITH u CALL (u) { OPTIONAL MATCH (u)-[a:IN_AREA]->() DELETE a } "
        "RETURN count(u) AS n")
    # The order of events is their seq: a new one goes between its neighbours by
    # (date, precision, id); those on its first day are compared by the caller.
    q["commit:events_on"] = ("MATCH (e:Event {gen: $gen}) WHERE e.date_day = $day "
                             "RETURN e.date AS date, e.id AS id, e.seq AS seq")
    q["commit:event_before"] = ("MATCH (e:Event {gen: $gen}) WHERE e.date_day < $day "
                                "RETURN e.seq AS seq ORDER BY e.date_day DESC, e.seq DESC "
                                "LIMIT 1")
    q["commit:event_after"] = ("MATCH (e:Event {gen: $gen}) WHERE e.date_day > $day "
                               "RETURN e.seq AS seq ORDER BY e.date_day, e.seq LIMIT 1")
