"""Fold the stored search words again when the folding changed: a Neo4j store keeps each
unit's (and former name's) `search_words` and `abbr_key` as the code of its load computed
them (`graph.neo4j.records.search_words`, which reads the forms of `graph.names_forms`), so
a store loaded before a change of the forms would find by the old words.

The Meta node records the version its words were folded by (`search_words_version`,
`records.SEARCH_WORDS_VERSION`, written by every load). When a store is opened and the
current generation's version differs (or is missing: a store loaded before versions were
kept), `migrate` recomputes the words of every unit and former name of that generation in
batches of `BATCH` nodes (one write transaction each, walking the `(gen, id)` and `(gen,
seq)` indexes in order; values only as `$parameters`, the Cypher in
`graph.neo4j.cypher_writes`), then records the version, only if
that generation is still the current one (a load meanwhile wrote its own words, and its
own version). A node whose name changed meanwhile (a commit writes the new words itself)
is left alone. Running twice, or in two processes at once, writes the same words.

The embedded store keeps no folded words: its search index is built in memory from the
names when it is first asked, so it never holds stale ones.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from graph.neo4j import plumbing
from graph.neo4j.records import SEARCH_WORDS_VERSION, abbr_key, search_words

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore

#: Nodes read and written again per write transaction.
BATCH = 2000


def stale(store: "Neo4jStore") -> str | None:
    """The current generation when its words are of another version than this code's."""
    rows = store._query("search_words:version")
    row = rows[0] if rows else {}
    gen = row.get("gen")
    return gen if gen is not None and row.get("version") != SEARCH_WORDS_VERSION else None


def migrate(store: "Neo4jStore") -> int:
    """Fold the current generation's search words again if they are stale; the number of
    nodes written (0: they were up to date)."""
    gen = stale(store)
    if gen is None:
        return 0
    written = 0
    for table in ("units", "names"):
        after: Any = "" if table == "units" else -1.0
        while after is not None:
            done, after = store._write(partial(_batch, table=table, gen=gen, after=after))
            written += done
    store._write(lambda tx: plumbing.run(tx, "search_words:done",
                                         {"gen": gen, "version": SEARCH_WORDS_VERSION}))
    return written


def _batch(tx: Any, *, table: str, gen: str, after: Any) -> tuple[int, Any]:
    """Fold one batch after `after` again: (nodes written, the last key, None at the end)."""
    rows = plumbing.run(tx, f"search_words:{table}", {"gen": gen, "after": after, "limit": BATCH})
    if not rows:
        return 0, None
    uid = table == "units"
    out = [[r["key"],
            search_words(r["name"], r["name_en"], r["key"], r["kind"]) if uid
            else search_words(r["name"], r["name_en"]),
            abbr_key(r["abbr"]) if r["abbr"] else None,
            r["name"], r["name_en"], r["abbr"], r["kind"]] for r in rows]
    done = plumbing.run(tx, f"search_words:set_{table}", {"gen": gen, "rows": out})[0]["n"]
    return done, rows[-1]["key"] if len(rows) == BATCH else None
