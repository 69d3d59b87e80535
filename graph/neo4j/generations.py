"""Writing the Neo4j store: a whole dataset as a new generation, swapped in atomically.

`replace_dataset` writes the new data as a new *generation* in batched `UNWIND $rows`
transactions; a final transaction checks the expected revision and the completeness of
the new generation, swaps the `Meta` pointer and records the change; old generations are
deleted afterwards. A write that fails (or is killed) before the swap leaves the previous
data in force. `GenerationWrites` is mixed into `graph.neo4j.store.Neo4jStore` (it uses
the store's `_write`, `_meta`, `_lock` and `uri`).
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import Any, Callable, Sequence

import orjson

from graph.errors import Conflict, StoreError
from graph.model import Dataset
from graph.neo4j import plumbing
from graph.neo4j.cypher import LABELS, REL_TYPES, SCHEMA_VERSION
from graph.neo4j.records import check_references, chunks, links, props
from graph.store import ChangeNote

#: Rows per write transaction.
BATCH_SIZE = 5000
#: Nodes deleted per transaction when dropping an old generation.
DELETE_BATCH = 10000


class GenerationWrites:
    """The write half of `Neo4jStore`: whole generations, their swap and their clean-up."""

    uri: str
    _lock: Any
    _write: Callable[[Callable[[Any], Any]], Any]
    _meta: Callable[[], tuple[str | None, str, dict[str, int]]]

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
        size = max(1, BATCH_SIZE)
        for table, label in LABELS.items():
            records = getattr(dataset, table)
            for start, chunk in chunks(records, size):
                rows = [props(table, r, start + i, gen) for i, r in enumerate(chunk)]
                self._write(partial(plumbing.run, name=f"create:{label}", params={"rows": rows}))
        by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in REL_TYPES}
        for seq, rel in enumerate(dataset.relations):
            values = props("relations", rel, seq, gen)
            for k in ("gen", "source_id", "target_id", "type"):
                values.pop(k)
            by_type[rel.type].append({"source_id": rel.source_id, "target_id": rel.target_id,
                                      "props": values})
        for rel_type, rows in by_type.items():
            for _, chunk in chunks(rows, size):
                def create(tx: Any, chunk: Sequence[dict[str, Any]] = chunk,
                           rel_type: str = rel_type) -> None:
                    done = plumbing.run(tx, f"relate:{rel_type}", {"rows": list(chunk), "gen": gen})
                    if (done[0]["n"] if done else 0) != len(chunk):
                        raise StoreError(f"{rel_type} relations refer to units that were not "
                                         "written; nothing was changed")
                self._write(create)
        for name, link_rows in links(dataset).items():
            for _, chunk in chunks(link_rows, size):
                self._write(partial(plumbing.run, name=f"link:{name}",
                                    params={"rows": list(chunk), "gen": gen}))

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
                                   "updated": plumbing.now(), "counts": orjson.dumps(counts).decode()})
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
