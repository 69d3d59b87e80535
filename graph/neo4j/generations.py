"""Writing the Neo4j store: a whole dataset as a new generation, swapped in atomically.

`replace_dataset` writes the new data as a new *generation* in batched `UNWIND $rows`
transactions; a final transaction checks the expected revision and the completeness of
the new generation, swaps the `Meta` pointer and records the change; old generations are
deleted afterwards. A write that fails (or is killed) before the swap leaves the previous
data in force. `GenerationWrites` is mixed into `graph.neo4j.store.Neo4jStore` (it uses
the store's `_write`, `_meta`, `_lock` and `uri`).
"""

from __future__ import annotations

import queue
import secrets
import threading
from typing import Any, Callable, Iterable, Iterator, TypeVar

import orjson

from graph.errors import Conflict, StoreError
from graph.model import Dataset
from graph.neo4j import plumbing
from graph.neo4j.cypher import LABELS, REL_TYPES, SCHEMA_VERSION
from graph.neo4j.records import SEARCH_WORDS_VERSION
from graph.neo4j.records import check_references, chunks, links, row_encoder
from graph.store import ChangeNote

T = TypeVar("T")

#: Rows per write transaction. Measured at 6 provinces (`python -m bench.neo4j loadprof`):
#: the server CPU of a load is the same from 1k to 10k rows (5-6.5 s, noise), 7 s at 25k,
#: 10 s at 50k (the transaction state grows); per-transaction costs are small.
BATCH_SIZE = 5000
#: Nodes deleted per transaction when dropping an old generation.
DELETE_BATCH = 10000


def load_batches(dataset: Dataset, size: int) -> Iterator[tuple[str, list[Any], int | None]]:
    """The batches of a whole-generation load, in write order: (query name, compact rows,
    the count its `RETURN n` must give or None). Records first (referenced labels before
    the ones linking to them), then the relations by type, then the `IN_AREA` links."""
    for table, label in LABELS.items():
        encode = row_encoder(table)
        for start, chunk in chunks(getattr(dataset, table), size):
            yield f"load:{label}", [encode(r, start + i) for i, r in enumerate(chunk)], None
    encode = row_encoder("relations")
    by_type: dict[str, list[list[Any]]] = {t: [] for t in REL_TYPES}
    for seq, rel in enumerate(dataset.relations):
        by_type[rel.type].append(encode(rel, seq))
    for rel_type, rows in by_type.items():
        for _, chunk in chunks(rows, size):
            yield f"load:relate:{rel_type}", list(chunk), len(chunk)
    for name, link_rows in links(dataset).items():
        for _, chunk in chunks(link_rows, size):
            yield f"load:link:{name}", list(chunk), None


def prefetch(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """`items`, produced by a thread up to `depth` ahead of the consumer: the client
    encodes the next batch while it waits for the server to write this one (the wait
    releases the GIL). An error of the producer is raised to the consumer; a consumer
    that stops early (a failed write) stops the producer."""
    box: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        box.put((True, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put((False, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            box.put((False, exc))

    thread = threading.Thread(target=produce, name="bomay-neo4j-encode", daemon=True)
    thread.start()
    try:
        while True:
            more, item = box.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        thread.join()


class GenerationWrites:
    """The write half of `Neo4jStore`: whole generations, their swap and their clean-up."""

    uri: str
    _lock: Any
    _write: Callable[[Callable[[Any], Any]], Any]
    _meta: Callable[[], tuple[str | None, str, dict[str, int]]]
    _session: Callable[[], Any]
    _unit: Callable[[Callable[[Any], Any]], Callable[[Any], Any]]

    # -- writes -----------------------------------------------------------------------------
    def replace_dataset(self, dataset: Dataset, *, expected_revision: str | None = None,
                        change: ChangeNote | None = None) -> str:
        check_references(dataset)
        revision = secrets.token_hex(6)
        gen = revision
        with self._lock:
            try:
                if expected_revision is not None:
                    current = self._meta()[1]
                    if current != expected_revision:
                        raise Conflict(f"the baseline changed since revision {expected_revision} "
                                       f"(now {current})")
                try:
                    self._write_generation(dataset, gen)
                    self._swap(dataset, gen, revision, expected_revision, change or ChangeNote())
                except BaseException:
                    self._purge(gen)
                    raise
                self._collect_garbage(gen)
            except plumbing.DRIVER_ERRORS as exc:
                raise StoreError(f"writing the Neo4j store at {self.uri} failed: {plumbing.describe(exc)}") from None
        return revision

    def _write_generation(self, dataset: Dataset, gen: str) -> None:
        """Every batch of the new generation, one write transaction each, through one
        session; the next batch is encoded (in a thread) while the server writes this
        one."""
        with self._session() as session:
            for name, rows, expect in prefetch(load_batches(dataset, max(1, BATCH_SIZE))):
                def work(tx: Any, name: str = name, rows: list[Any] = rows,
                         expect: int | None = expect) -> None:
                    done = plumbing.run(tx, name, {"rows": rows, "gen": gen})
                    if expect is not None and (done[0]["n"] if done else 0) != expect:
                        raise StoreError(f"{name.rsplit(':', 1)[-1]} relations refer to units "
                                         "that were not written; nothing was changed")
                session.execute_write(self._unit(work))

    def _swap(self, dataset: Dataset, gen: str, revision: str,
              expected_revision: str | None, note: ChangeNote) -> None:
        counts = dataset.counts()

        def work(tx: Any) -> None:
            current = plumbing.run(tx, "lock_meta", {"gen": gen})[0].get("revision") or "empty"
            if expected_revision is not None and current != expected_revision:
                raise Conflict(f"the baseline changed since revision {expected_revision} "
                               f"(now {current})")
            for table, label in LABELS.items():
                found = plumbing.run(tx, f"count:{label}", {"gen": gen})[0]["n"]
                if found != counts[table]:
                    raise StoreError(f"the new generation lost {label} nodes while it was "
                                     f"written ({found} of {counts[table]}); "
                                     "nothing was changed")
            found = plumbing.run(tx, "count:relations", {"gen": gen})[0]["n"]
            if found != counts["relations"]:
                raise StoreError("the new generation lost relations while it was written; "
                                 "nothing was changed")
            plumbing.run(tx, "swap_meta", {"gen": gen, "revision": revision, "schema": SCHEMA_VERSION,
                                   "updated": plumbing.now(), "counts": orjson.dumps(counts).decode(),
                                   "search_words": SEARCH_WORDS_VERSION})
            plumbing.add_change(tx, note, current, revision)
        self._write(work)

    def _delete_loop(self, name: str, params: dict[str, Any]) -> None:
        while True:
            rows = self._write(lambda tx: plumbing.run(tx, name, {**params, "limit": DELETE_BATCH}))
            if not rows or not rows[0]["deleted"]:
                return

    def _purge(self, gen: str) -> None:
        """Best effort: delete a generation that never became current."""
        try:
            for label in LABELS.values():
                self._delete_loop(f"purge:{label}", {"gen": gen})
        except Exception:  # noqa: BLE001 - the next successful write collects it
            pass

    def _collect_garbage(self, gen: str) -> None:
        """Delete every generation but `gen` (old data, and leftovers of failed writes)."""
        try:
            for label in LABELS.values():
                self._delete_loop(f"gc:{label}", {"gen": gen})
        except plumbing.DRIVER_ERRORS:  # harmless: reads only see the current generation
            pass

    def wipe(self) -> None:
        """Delete everything this store keeps (every generation, the pointer, the scenarios,
        the change log). For tests and resets; it empties the bomay data of the database."""
        with self._lock:
            for label in LABELS.values():
                self._delete_loop(f"wipe:{label}", {})
            self._write(lambda tx: plumbing.run(tx, "wipe:meta", {}))
