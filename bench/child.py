"""Stages of a load and of a store open, timed in a fresh process (so peak RSS is theirs).

    python -m bench.child load DATA_DIR STORE.db   # read + validate, then write the store
    python -m bench.child open STORE.db            # open an existing store (SQLite -> memory)

Prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
import time

from bench.stats import cpu_seconds, peak_rss_mib


def load(data: str, db: str) -> dict:
    t0 = time.perf_counter()
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    t1 = time.perf_counter()
    dataset = read_dataset(data)
    t2 = time.perf_counter()
    rss_after_read = peak_rss_mib()
    store = EmbeddedStore(db)
    t3 = time.perf_counter()
    store.replace_dataset(dataset)
    t4 = time.perf_counter()
    store.close()
    return {"import_s": round(t1 - t0, 3), "read_validate_s": round(t2 - t1, 3),
            "open_empty_store_s": round(t3 - t2, 3), "replace_dataset_s": round(t4 - t3, 3),
            "total_s": round(t4 - t0, 3), "cpu_s": cpu_seconds(),
            "peak_rss_after_read_mib": rss_after_read,
            "peak_rss_mib": peak_rss_mib()}


def open_store(db: str) -> dict:
    """Open a store and make it ready to answer: the embedded store builds its graph on
    the first read, as `bomay serve` does before it listens. The stages are those of
    `EmbeddedStore.memory`, called one by one (private methods: a breakdown only); then
    what `bomay serve` does in the background once it answers: reading the deferred tables
    (events, functions, headcount, people, posts, documents) and indexing them."""
    t0 = time.perf_counter()
    from graph.embedded.store import EmbeddedStore
    from graph.embedded.gc_pause import paused_gc, settle
    from graph.embedded.memory import MemoryGraph
    t1 = time.perf_counter()
    store = EmbeddedStore(db)
    t2 = time.perf_counter()
    with paused_gc():
        dataset = store._read_dataset()
        t3 = time.perf_counter()
        memory = MemoryGraph(dataset, revision=store.revision)
    t4 = time.perf_counter()
    settle()
    t5 = time.perf_counter()
    memory.warm()
    t6 = time.perf_counter()
    store.close()
    return {"import_s": round(t1 - t0, 3), "open_s": round(t5 - t1, 3),
            "connect_s": round(t2 - t1, 3), "sqlite_read_decode_s": round(t3 - t2, 3),
            "memory_graph_build_s": round(t4 - t3, 3), "gc_settle_s": round(t5 - t4, 3),
            "background_deferred_tables_s": round(t6 - t5, 3),
            "cpu_s": cpu_seconds(), "peak_rss_mib": peak_rss_mib()}


def main(argv: list[str]) -> None:
    if argv[:1] == ["load"] and len(argv) == 3:
        result = load(argv[1], argv[2])
    elif argv[:1] == ["open"] and len(argv) == 2:
        result = open_store(argv[1])
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
