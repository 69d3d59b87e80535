"""The API over an existing store, served as `bomay serve` does, plus a trivial endpoint.

    python -m bench.server STORE.db PORT
    python -m bench.server neo4j PORT      # the Neo4j store of NEO4J_URI

`GET /_bench/trivial` returns a constant JSON body through the same app, middleware and
server, so that its throughput is the floor the real endpoints are compared with.
"""

from __future__ import annotations

import sys


def build_app(db: str):
    from api.app import create_app
    from api.settings import Settings
    from graph.embedded.store import EmbeddedStore
    from graph.embedded.memory_index import warm

    if db == "neo4j":  # the Neo4j store of NEO4J_URI (bench/neo4j.py)
        from graph.neo4j.store import Neo4jStore
        store = Neo4jStore.from_env()
    else:
        store = EmbeddedStore(db)
    # Steady state: the graph and the indexes `bomay serve` builds before and just after
    # it starts listening are built before the load generator starts.
    warm(store)
    app = create_app(store, Settings())

    @app.get("/_bench/trivial", include_in_schema=False)
    def trivial() -> dict:
        return {"ok": True}

    return app


def main(argv: list[str]) -> None:
    import uvicorn

    db, port = argv[0], int(argv[1])
    # Same server settings as `bomay serve` (api/cli.py): one process, log level info.
    uvicorn.run(build_app(db), host="127.0.0.1", port=port, log_level="info")


if __name__ == "__main__":
    main(sys.argv[1:])
