"""The Cypher of unit search on the Neo4j store (`graph.neo4j.search`).

Two full-text indexes with the `whitespace` analyzer (the words are folded already, see
`graph.neo4j.records`): `bomay_unit_search` over the units' words and abbreviation
(created with the schema, `graph.neo4j.cypher_writes`) and `bomay_name_search` over the
former names' (`UnitName`, `names.csv`). A search names its index and its Lucene query as
parameters, with `$gen` (null: the current generation; a snapshot passes its own).
"""

from __future__ import annotations

from graph.neo4j.vocabulary import _BY_ID, asof, projection

#: The full-text index of former names (`UnitName.search_words`, `UnitName.abbr_key`).
NAME_INDEX = "bomay_name_search"

def _hits(options: str = "") -> str:
    """The full-text hits of `$index` for `$lucene` in the generation (`$gen`, else the
    current one); `options`: the call's options map (Lucene's `limit`)."""
    return (f"CALL db.index.fulltext.queryNodes($index, $lucene{options}) YIELD node, score "
            "MATCH (m:Meta {key: 'current'}) WITH node, score, coalesce($gen, m.gen) AS gen "
            "WHERE node.gen = gen ")


_HITS = _hits()


def search_queries(q: dict[str, str]) -> None:
    """Register the search queries and the former-name index into `QUERIES`."""
    q["schema:fulltext_names"] = (
        f"CREATE FULLTEXT INDEX {NAME_INDEX} IF NOT EXISTS "
        "FOR (n:UnitName) ON EACH [n.search_words, n.abbr_key] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}")
    unit = projection("u", "units")
    # Units by their words (rules or typos), best Lucene score first, on $at: of Lucene's
    # best $hits hits (`search:units`: Lucene keeps only those, where every hit costs a
    # fetch and a filter: 94,000 hits for `dang uy xa` nationally, 840 ms), or of every hit
    # (`search:units:all`); `search:hits` counts Lucene's best $hits hits, for the caller
    # to know whether the first query may have left a unit of the generation out.
    q["search:units"] = (
        _hits(", {limit: $hits}") + "WITH node AS u, score WHERE " + asof("u") + " "
        f"WITH u, score ORDER BY score DESC LIMIT $cap RETURN {unit} AS p")
    q["search:units:all"] = (_HITS + "WITH node AS u, score WHERE " + asof("u") + " "
                             f"WITH u, score ORDER BY score DESC LIMIT $cap RETURN {unit} AS p")
    q["search:hits"] = ("CALL db.index.fulltext.queryNodes($index, $lucene, {limit: $hits}) "
                        "YIELD node RETURN count(node) AS hits")
    # former names by their words, with their unit (existing on $at)
    q["search:names"] = (_HITS + "WITH node AS n, score, gen "
                         "MATCH (u:Unit {gen: gen, id: n.unit_id}) " + _BY_ID("u", "Unit") +
                         "WHERE " + asof("u") + " WITH n, u, score ORDER BY score DESC LIMIT $cap "
                         f"RETURN {projection('n', 'names')} AS name, {unit} AS p")
    # does the query match anything of the generation, whatever the date
    q["search:any"] = _HITS + "WITH node LIMIT 1 RETURN node.gen AS gen"
