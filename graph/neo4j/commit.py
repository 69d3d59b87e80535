"""A scenario commit on Neo4j, written in place: only what the scenario changes.

`commit_changes(changes, expected_revision=, change=)` writes a
`graph.scenarios.changes.ChangeSet` into the current generation in ONE write
transaction: it locks the Meta node, checks the expected revision, deletes the records
the change set removes (and the old versions of those it updates), updates changed units
in place (their node, so every link to them, stays), creates the new records with their
links through the very queries a load uses (`create:*`, `relate:*`, `link:IN_AREA`, with
the property maps of `graph.neo4j.records.props`), so that no read can tell a committed
record from a loaded one; then it updates the Meta counts, revision and next free `seq`
of each table, and records the change. Any failure rolls the whole transaction back.

Order: a record's `seq` is its position in the dataset. A record updated in place keeps
its seq; an added one gets the next free seq of its table (after every other: the order
`ChangeSet.apply_to` gives); a new event gets a seq between its neighbours in (date, id)
order (a fraction when needed), as a loaded dataset's events are sorted.

A generation is no longer immutable after a commit: whatever caches by generation must
key by revision (which every commit changes). `CommitWrites` is mixed into
`graph.neo4j.store.Neo4jStore` (it uses the store's `_write` and `uri`).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Callable

import orjson

from graph.errors import Conflict, StoreError
from graph.model import TABLE_NAMES, Event
from graph.neo4j import plumbing
from graph.neo4j.cypher_commit import FACT_LABELS
from graph.neo4j.records import DECODE, parse_date, props
from graph.neo4j.records import relation as decode_relation
from graph.neo4j.vocabulary import LABELS, REL_TYPES
from graph.store import ChangeNote

if TYPE_CHECKING:
    from graph.scenarios.changes import ChangeSet


class CommitWrites:
    """`commit_changes` for `Neo4jStore`: a change set in one transaction."""

    uri: str
    _lock: Any
    _write: Callable[[Callable[[Any], Any]], Any]

    def commit_changes(self, changes: "ChangeSet", *, expected_revision: str,
                       change: ChangeNote) -> str:
        revision = secrets.token_hex(6)
        for rel in changes.relations.added + tuple(new for _, new in changes.relations.updated):
            if rel.type not in REL_TYPES:
                raise StoreError(f"unknown relation type {rel.type!r}; expected one of "
                                 + ", ".join(REL_TYPES))
        with self._lock:
            try:
                self._write(lambda tx: _Commit(tx, changes, revision).run(expected_revision,
                                                                          change))
            except plumbing.DRIVER_ERRORS as exc:
                raise StoreError(f"writing the Neo4j store at {self.uri} failed: "
                                 f"{plumbing.describe(exc)}; nothing was changed") from None
        return revision


class _Commit:
    """One attempt of the commit transaction (the driver may retry it from the start)."""

    def __init__(self, tx: Any, changes: "ChangeSet", revision: str):
        self.tx, self.changes, self.revision = tx, changes, revision
        self.gen = ""
        self.delta = {t: 0 for t in TABLE_NAMES}

    def q(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return plumbing.run(self.tx, name, params)

    def run(self, expected_revision: str, note: ChangeNote) -> None:
        rows = self.q("commit:lock", token=self.revision)
        if not rows or rows[0]["gen"] is None:
            raise Conflict("the baseline is empty: load a dataset before committing a scenario")
        meta = rows[0]
        current = meta["revision"] or "empty"
        if current != expected_revision:
            raise Conflict(f"the baseline changed since revision {expected_revision} "
                           f"(now {current})")
        self.gen = meta["gen"]
        counts = orjson.loads(meta["counts"]) if meta.get("counts") else {}
        seqs = self._next_seqs(meta.get("seqs"))
        c = self.changes
        # 1. what goes: removed records, and the old versions of those updated (kept seqs)
        kept: dict[str, list[tuple[Any, Any]]] = {}
        for table, label in FACT_LABELS.items():
            kept[table] = self._delete_facts(table, label, getattr(c, table))
        kept["relations"] = self._delete_relations()
        if c.events.removed:
            ids = [e.id for e in c.events.removed]
            self.delta["events"] -= self.q("commit:delete:Event", gen=self.gen, ids=ids)[0]["n"]
        # 2. units: changed ones in place, new ones appended
        if c.units.updated:
            rows = [props("units", new, 0, self.gen) for _, new in c.units.updated]
            done = self.q("commit:update:Unit", gen=self.gen, rows=rows)[0]["n"]
            if done != len(rows):
                raise StoreError("a unit the commit changes is not in the store; nothing "
                                 "was changed")
        if c.units.added:
            start = seqs["units"]
            self.q("create:Unit", rows=[props("units", u, start + i, self.gen)
                                        for i, u in enumerate(c.units.added)])
            seqs["units"] += len(c.units.added)
            self.delta["units"] += len(c.units.added)
        areas = [{"a": u.id, "b": u.area}
                 for u in (*(new for _, new in c.units.updated), *c.units.added) if u.area]
        if areas:
            self.q("link:IN_AREA", gen=self.gen, rows=areas)
        # 3. what comes: updated records at their old seq, added ones after every other
        for table in (*FACT_LABELS, "relations"):
            t = getattr(c, table)
            placed_rows = [(seq, new) for seq, new in kept[table]]
            placed_rows += [(seqs[table] + i, r) for i, r in enumerate(t.added)]
            seqs[table] += len(t.added)
            self.delta[table] += len(t.added)
            if placed_rows:
                self._create(table, placed_rows)
        if c.events.added:
            placed = self._event_seqs(list(c.events.added))
            self.q("create:Event", rows=[props("events", e, seq, self.gen)
                                         for seq, e in placed])
            self.delta["events"] += len(placed)
        # 4. the pointer: counts, revision, next seqs; then the change log
        counts = {t: counts.get(t, 0) + self.delta[t] for t in TABLE_NAMES}
        self.q("commit:meta", revision=self.revision, updated=plumbing.now(),
               counts=orjson.dumps(counts).decode(),
               seqs=orjson.dumps({"gen": self.gen, **seqs}).decode())
        plumbing.add_change(self.tx, note, current, self.revision)

    # -- helpers ------------------------------------------------------------------------------
    def _next_seqs(self, stored: str | None) -> dict[str, int]:
        """The next free seq of each table: kept in the Meta node by the commits of this
        generation, else found once (the generation a load wrote has no gaps but is
        scanned all the same: a load knows nothing of commits)."""
        if stored:
            seqs = orjson.loads(stored)
            if seqs.pop("gen", None) == self.gen:
                return seqs
        out = {}
        for table in (*LABELS, "relations"):
            name = f"commit:max:{LABELS[table]}" if table in LABELS else "commit:max:relations"
            top = self.q(name, gen=self.gen)[0]["n"]
            out[table] = int(top) + 1 if top is not None else 0
        return out

    def _delete_facts(self, table: str, label: str, t: Any) -> list[tuple[Any, Any]]:
        """Delete the removed records and the old versions of the updated ones; return
        (seq, new version) of each updated one."""
        gone = list(t.removed) + [old for old, _ in t.updated]
        if not gone:
            return []
        ids = sorted({r.unit_id for r in gone})
        by_record: dict[Any, list[Any]] = {}
        for row in self.q(f"commit:find:{label}", gen=self.gen, ids=ids):
            by_record.setdefault(DECODE[table](row["p"]), []).append(row["p"]["seq"])
        seqs = self._matched(table, gone, by_record)
        n = self.q(f"commit:delete:{label}", gen=self.gen, seqs=seqs)[0]["n"]
        self.delta[table] -= n - len(t.updated)  # an updated record comes back
        return [(min(by_record[old]), new) for old, new in t.updated]

    def _delete_relations(self) -> list[tuple[Any, Any]]:
        t = self.changes.relations
        gone = list(t.removed) + [old for old, _ in t.updated]
        if not gone:
            return []
        ids = sorted({r.source_id for r in gone})
        by_record: dict[Any, list[Any]] = {}
        for row in self.q("commit:find:relations", gen=self.gen, ids=ids):
            by_record.setdefault(decode_relation(row), []).append(row["seq"])
        rows = [{"source_id": r.source_id, "target_id": r.target_id, "type": r.type, "seq": s}
                for r in dict.fromkeys(gone) for s in by_record.get(r, ())]
        self._matched("relations", gone, by_record)
        n = self.q("commit:delete:relations", gen=self.gen, rows=rows)[0]["n"]
        self.delta["relations"] -= n - len(t.updated)
        return [(min(by_record[old]), new) for old, new in t.updated]

    @staticmethod
    def _matched(table: str, gone: list[Any], by_record: dict[Any, list[Any]]) -> list[Any]:
        missing = [r for r in gone if r not in by_record]
        if missing:
            raise StoreError(f"the commit removes {table} records the store does not hold "
                             f"(first: {missing[0]}); nothing was changed")
        return sorted({s for r in gone for s in by_record[r]})

    def _create(self, table: str, rows: list[tuple[Any, Any]]) -> None:
        if table != "relations":
            self.q(f"create:{FACT_LABELS[table]}",
                   rows=[props(table, r, seq, self.gen) for seq, r in rows])
            return
        by_type: dict[str, list[dict[str, Any]]] = {}
        for seq, rel in rows:
            values = props("relations", rel, seq, self.gen)
            for k in ("gen", "source_id", "target_id", "type"):
                values.pop(k)
            by_type.setdefault(rel.type, []).append(
                {"source_id": rel.source_id, "target_id": rel.target_id, "props": values})
        for rel_type, items in by_type.items():
            done = self.q(f"relate:{rel_type}", gen=self.gen, rows=items)
            if (done[0]["n"] if done else 0) != len(items):
                raise StoreError(f"{rel_type} relations refer to units the store does not "
                                 "hold; nothing was changed")

    def _event_seqs(self, events: list[Event]) -> list[tuple[float, Event]]:
        """A seq for each new event between its neighbours in (date, id) order: the events
        of a generation are in that order by seq, and stay so."""
        events.sort(key=lambda e: (e.date, e.id))
        gaps: dict[tuple[Any, Any], list[Event]] = {}
        for e in events:
            day = e.date.first_day()
            before = after = None
            for row in self.q("commit:events_on", gen=self.gen, day=day):
                key = (parse_date(row["date"]), row["id"])
                if key < (e.date, e.id):
                    before = row["seq"] if before is None else max(before, row["seq"])
                else:
                    after = row["seq"] if after is None else min(after, row["seq"])
            if before is None:
                rows = self.q("commit:event_before", gen=self.gen, day=day)
                before = rows[0]["seq"] if rows else None
            if after is None:
                rows = self.q("commit:event_after", gen=self.gen, day=day)
                after = rows[0]["seq"] if rows else None
            gaps.setdefault((before, after), []).append(e)
        out: list[tuple[float, Event]] = []
        for (before, after), group in gaps.items():
            lo = before if before is not None else (after - 1 if after is not None else -1)
            hi = after if after is not None else lo + len(group) + 1
            step = (hi - lo) / (len(group) + 1)
            out += [(lo + step * (i + 1), e) for i, e in enumerate(group)]
        return out

