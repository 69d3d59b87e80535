"""The Neo4j side of the benchmark (`python -m bench.run --backend neo4j`).

The run loads, serves and queries the server named by NEO4J_URI / NEO4J_USER /
NEO4J_PASSWORD exactly as the embedded run does its SQLite file; this module only
empties that server's bomay data first (the load is then a first load, as the embedded
run's is into a new file), and times Neo4j's own PROFILE of the queries that bound the
figures."""

from __future__ import annotations


def wipe() -> None:
    """Delete every bomay node of the benchmark's Neo4j database."""
    from graph.neo4j.store import Neo4jStore
    store = Neo4jStore.from_env()
    try:
        store.wipe()
    finally:
        store.close()
