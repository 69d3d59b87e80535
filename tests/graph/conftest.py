"""Backends for the store contract suite: the embedded store and a real Neo4j server.

`store_backend` yields a `Backend` (open a store on the same durable data / make the next
write fail midway) for:
- `embedded`: an `EmbeddedStore` on a SQLite file of the test's own folder, always;
- `neo4j`: a `Neo4jStore` on the server named by NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD,
  NEO4J_DATABASE), its bomay data wiped first. Without NEO4J_URI the test is skipped,
  saying how to start one; with BOMAY_REQUIRE_NEO4J=1 that skip is a failure
  (tests/conftest.py), which is how CI proves the Neo4j leg ran.

There is no fake server: every Neo4j test talks to Neo4j. `QueryLog` only *records* what
the store sends to the real server (for the tests of the Cypher text and of batching).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

NEO4J_SKIP = ("NEO4J_URI not set: start a test server with `make neo4j-up && source .neo4j/env` "
              "(or `docker compose up -d neo4j`) and set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD")


@dataclass
class Backend:
    """How the contract suite opens a store of one kind."""

    name: str
    open: Callable[[], Any]                       # a new store on the same durable data
    fail_writes_midway: Callable[[Any], None]     # (monkeypatch) -> the next replace fails midway


@dataclass
class QueryLog:
    """Every (query text, parameters) the Neo4j store sent to the server while installed."""

    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail: Callable[[str], bool] | None = None     # query name -> raise ServiceUnavailable

    def names(self) -> list[str]:
        from graph.neo4j.store import QUERIES
        by_text = {text: name for name, text in QUERIES.items()}
        return [by_text.get(q, "?") for q, _ in self.sent]


def install_query_log(monkeypatch) -> QueryLog:
    """Wrap the store's one sending function (`_run`) with a recorder (the server is real)."""
    import graph.neo4j.plumbing as ns
    from neo4j.exceptions import ServiceUnavailable

    log, real = QueryLog(), ns.run

    def recording(tx, name, params):
        if log.fail is not None and log.fail(name):
            raise ServiceUnavailable(f"test: the connection was lost before {name}")
        log.sent.append((ns.QUERIES[name], params))
        return real(tx, name, params)
    monkeypatch.setattr(ns, "run", recording)
    return log


def neo4j_settings() -> dict[str, str]:
    """The connection settings of the test server, or a skip saying how to get one."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(NEO4J_SKIP)
    return {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
                                       "NEO4J_DATABASE") if os.environ.get(k)}


def _fail_neo4j_after_some_writes(monkeypatch) -> None:
    """Small batches, and a row builder that raises once some batches are committed."""
    import graph.neo4j.generations as ns

    monkeypatch.setattr(ns, "BATCH_SIZE", 2)
    real, calls = ns.row_encoder, {"n": 0}

    def failing_encoder(table):
        encode = real(table)

        def failing(*args, **kw):
            calls["n"] += 1
            if calls["n"] > 5:
                raise OSError("disk full")
            return encode(*args, **kw)
        return failing
    monkeypatch.setattr(ns, "row_encoder", failing_encoder)


def _fail_embedded_after_some_writes(monkeypatch) -> None:
    import graph.embedded.store as embedded

    real, calls = embedded.row_encoder, {"n": 0}

    def failing_encoder(table):
        encode = real(table)

        def failing(record):
            calls["n"] += 1
            if calls["n"] > 4:
                raise OSError("disk full")
            return encode(record)
        return failing
    monkeypatch.setattr(embedded, "row_encoder", failing_encoder)


def _backend(kind: str, tmp_path: Path, opened: list[Any]) -> Backend:
    if kind == "embedded":
        from graph.embedded.store import EmbeddedStore

        def open_embedded():
            opened.append(EmbeddedStore(tmp_path / "contract.db"))
            return opened[-1]
        return Backend("embedded", open_embedded, _fail_embedded_after_some_writes)
    from graph.neo4j.store import Neo4jStore
    settings = neo4j_settings()

    def open_real():
        opened.append(Neo4jStore.from_env(settings))
        return opened[-1]
    open_real().wipe()
    return Backend("neo4j", open_real, _fail_neo4j_after_some_writes)


def _close_all(opened: list[Any]) -> None:
    for store in opened:
        try:
            store.close()
        except Exception:  # noqa: BLE001 - closing twice is fine
            pass


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_backend(request, tmp_path):
    """Every backend: the contract suite runs once per backend."""
    opened: list[Any] = []
    yield _backend(request.param, tmp_path, opened)
    _close_all(opened)


@pytest.fixture
def neo4j_backend(tmp_path):
    """The real Neo4j backend alone (its bomay data wiped), for the Neo4j-only tests."""
    opened: list[Any] = []
    yield _backend("neo4j", tmp_path, opened)
    _close_all(opened)


@pytest.fixture
def query_log(monkeypatch) -> QueryLog:
    return install_query_log(monkeypatch)


def raw_dataset(folder: Path):
    """The CSV files of `folder` decoded cell by cell, without the loader's checks: for
    fixtures whose values the loader refuses (hostile ids) but a store must still keep
    safely, since `replace_dataset` takes any Dataset."""
    import csv

    from graph.codec import CSV_FILES, TABLES, row_decoder
    from graph.model import Dataset

    tables = {}
    for table, file in CSV_FILES.items():
        path = folder / file
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            decode, columns = row_decoder(table), TABLES[table][1]
            tables[table] = tuple(decode([row.get(c) or "" for c in columns])
                                  for row in csv.DictReader(f))
    return Dataset(**tables)


def synthetic_pair(folder, seed: int):
    """One synthetic province loaded into a SQLite file and into the (wiped) test Neo4j
    server: (dataset, embedded store, Neo4j store); the caller closes both stores."""
    from graph.embedded.store import EmbeddedStore
    from graph.neo4j.store import Neo4jStore
    from loaders import read_dataset
    from loaders.synth import generate
    generate(folder / "synth", provinces=1, seed=seed)
    dataset = read_dataset(folder / "synth")
    embedded = EmbeddedStore(folder / "pair.db")
    neo4j = Neo4jStore.from_env(neo4j_settings())
    neo4j.wipe()
    embedded.replace_dataset(dataset)
    neo4j.replace_dataset(dataset)
    return dataset, embedded, neo4j
